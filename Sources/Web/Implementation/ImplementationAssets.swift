import Foundation
import Hummingbird

extension Router<AppRequestContext> {
    /// The implementation pages' stylesheets (screen and the A4 print report).
    func addImplementationAssets() {
        get("assets/impl.css") { _, _ in Assets.response(ImplementationAssets.stylesheet, type: "text/css; charset=utf-8") }
        get("assets/impl-report.css") { _, _ in Assets.response(ImplementationAssets.reportStylesheet, type: "text/css; charset=utf-8") }
    }
}

/// Styles of the implementation pages; no inline styles (the CSP allows only `'self'`).
enum ImplementationAssets {
    static let badges = """
    .badge.st-met { background:#dcefe3; color:#14532d; }
    .badge.st-on_track { background:#e2eef8; color:#1f4f7a; }
    .badge.st-at_risk { background:#fff1c9; color:#7a5200; }
    .badge.st-missed { background:#f8e0da; color:#8a2f1c; }
    .badge.st-no_data, .badge.st-not_assessed { background:#eee; color:#555; }
    .badge.rs-draft { background:#eee; color:#444; }
    .badge.rs-submitted { background:#e2eef8; color:#1f4f7a; }
    .badge.rs-approved { background:#dcefe3; color:#14532d; }
    .badge.rs-returned { background:#f8e0da; color:#8a2f1c; }
    .badge.overdue { background:#f8e0da; color:#8a2f1c; }
    .badge.demo { background:#fff1c9; color:#7a5200; }
    .badge.monitoring { background:#e9e2f8; color:#4b2f7a; }
    """

    static let stylesheet = badges + """
    .impl-grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap:1rem; }
    .impl-forms { display:flex; flex-wrap:wrap; gap:.6rem 1.2rem; align-items:flex-end; }
    .impl-forms form { margin:0; }
    .impl-forms label, form.row label { display:inline-block; margin:0 .3rem 0 0; font-weight:600; }
    form.row { display:flex; flex-wrap:wrap; gap:.4rem .8rem; align-items:flex-end; margin:.3rem 0; }
    form.row input[type=text], form.row input[type=number], form.row input[type=date], form.row select { width:auto; min-width:6rem; max-width:18rem; padding:.3rem .45rem; border:1px solid #b9c6c0; border-radius:3px; font:inherit; }
    form.row textarea { min-height:4rem; max-width:40rem; width:100%; font-family:inherit; }
    form.row button[type=submit]:not(.link) { margin-top:0; padding:.3rem .9rem; }
    button.secondary { background:#5b6b66 !important; }
    button.danger { background:#b5462f !important; }
    .rule { color:var(--muted); font-size:.85rem; }
    .unit-tag { color:var(--muted); font-size:.85rem; }
    .reason { color:#8a2f1c; }
    .chart { max-width:100%; height:auto; }
    figure.chart { display:inline-block; margin:.4rem; border:1px solid var(--line); padding:.3rem; background:#fff; }
    figure.chart figcaption { font-size:.8rem; color:var(--muted); max-width:360px; }
    td.cell-state { min-width:7rem; }
    td.status-cell { min-width:22rem; }
    .tree ul { list-style:none; padding-left:1.2rem; margin:.2rem 0; }
    .tree li { margin:.15rem 0; }
    .printable h1 { font-size:1.4rem; }
    dl.kv { display:grid; grid-template-columns: max-content 1fr; gap:.2rem 1rem; }
    dl.kv dt { color:var(--muted); }
    """

    static let reportStylesheet = badges + """
    body.report { font-family: "Noto Serif CJK SC","Source Han Serif SC","SimSun","Noto Sans CJK SC",serif; color:#111; margin:0; background:#fff; font-size:10.5pt; line-height:1.55; }
    .badge { display:inline-block; padding:0 .35rem; border-radius:3px; font-size:8.5pt; white-space:nowrap; }
    nav.no-print { padding:.6rem 1rem; background:#e8f1ec; font-family:sans-serif; font-size:10pt; }
    section { padding: 12mm 14mm; }
    section.cover { min-height: 250mm; display:flex; flex-direction:column; justify-content:center; text-align:center; page-break-after: always; }
    .cover .county { font-size:16pt; letter-spacing:.3em; }
    .cover h1 { font-size:24pt; margin:.5em 0; }
    .cover h2 { font-size:20pt; font-weight:normal; border:none; }
    .cover .year { font-size:14pt; }
    .cover .meta { margin-top:30mm; color:#444; font-size:10pt; }
    section.page { page-break-before: always; page: wide; }
    ol.rules { font-size:8.5pt; color:#333; }
    h2 { font-size:15pt; border-bottom:1.5pt solid #1f5f4a; padding-bottom:2pt; }
    h3 { font-size:12pt; }
    table { border-collapse:collapse; width:100%; font-size:8.5pt; margin:.4em 0 1em; }
    th, td { border:.5pt solid #777; padding:2pt 3pt; vertical-align:top; text-align:left; }
    thead { display:table-header-group; }
    thead th { background:#e8f1ec; }
    tr { page-break-inside: avoid; }
    td.num { text-align:right; white-space:nowrap; font-variant-numeric: tabular-nums; }
    td.rule { font-size:7.5pt; color:#444; }
    ul.counts { list-style:none; padding:0; display:flex; gap:1.2em; flex-wrap:wrap; }
    .charts { display:flex; flex-wrap:wrap; gap:4mm; }
    figure.chart { margin:0; width:86mm; page-break-inside: avoid; }
    figure.chart svg { width:100%; height:auto; }
    figure.chart figcaption { font-size:8pt; }
    .muted { color:#666; }
    @page { size: A4 portrait; margin: 12mm 10mm; }
    @page wide { size: A4 landscape; margin: 10mm 10mm; }
    @media print { nav.no-print { display:none; } section { padding:0; } section.cover { min-height: 260mm; } }
    """
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Router<AppRequestContext> {
    /// The stylesheet, script and icon, served from memory: no CDN, no external request.
    func addAssetRoutes() {
        get("assets/app.css") { _, _ in Assets.response(Assets.stylesheet, type: "text/css; charset=utf-8") }
        get("assets/app.js") { _, _ in Assets.response(Assets.script, type: "text/javascript; charset=utf-8") }
        get("assets/favicon.svg") { _, _ in Assets.response(Assets.favicon, type: "image/svg+xml") }
    }
}

/// Static assets compiled into the binary.
enum Assets {
    static func response(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let favicon = """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f5f4a"/><path d="M4 25 L12 11 L17 19 L21 13 L28 25 Z" fill="#cfe8d8"/><circle cx="23" cy="8" r="3" fill="#f2d27a"/></svg>
    """

    /// Loads a chosen file into the import form's text area (the form works without it).
    static let script = """
    document.addEventListener('DOMContentLoaded', function () {
      var input = document.getElementById('plan-file');
      var area = document.getElementById('plan-json');
      if (!input || !area) return;
      input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        if (!file) return;
        var reader = new FileReader();
        reader.onload = function () { area.value = reader.result; };
        reader.readAsText(file, 'utf-8');
      });
    });
    """

    static let stylesheet = """
    :root { --ink:#1d2a26; --muted:#5b6b66; --line:#d5ddd9; --bg:#f6f8f7; --panel:#ffffff; --brand:#1f5f4a; --brand-2:#2e7d62; --accent:#b5462f; --soft:#e8f1ec; }
    * { box-sizing: border-box; }
    html { font-size: 15px; }
    body { margin:0; color:var(--ink); background:var(--bg); font-family: "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif; line-height:1.6; }
    a { color: var(--brand); }
    header.site { background: var(--brand); color:#fff; }
    header.site .bar { max-width: 1240px; margin:0 auto; padding: .6rem 1.2rem; display:flex; align-items:center; gap:1.5rem; flex-wrap:wrap; }
    .brand { display:flex; align-items:center; gap:.6rem; color:#fff; text-decoration:none; font-weight:700; font-size:1.25rem; }
    .brand small { font-weight:400; font-size:.85rem; opacity:.85; }
    header nav { display:flex; gap:1.1rem; align-items:center; margin-left:auto; flex-wrap:wrap; }
    header nav a, header nav .who, header nav button.link { color:#e7f2ec; text-decoration:none; font-size:.95rem; }
    header nav a:hover { color:#fff; text-decoration:underline; }
    header nav .lang { border:1px solid rgba(255,255,255,.5); border-radius:3px; padding:0 .4rem; }
    form.inline { display:inline; margin:0; }
    button.link { background:none; border:none; cursor:pointer; padding:0; font:inherit; }
    main { max-width:1240px; margin:0 auto; padding:1.4rem 1.2rem 3rem; }
    footer.site { text-align:center; color:var(--muted); font-size:.85rem; padding:1.5rem; border-top:1px solid var(--line); }
    h1 { font-size:1.6rem; margin:.2rem 0 .8rem; }
    h2 { font-size:1.25rem; margin:2rem 0 .8rem; padding-bottom:.3rem; border-bottom:2px solid var(--brand); }
    h3 { font-size:1.05rem; margin:1.2rem 0 .5rem; }
    .lead { color:var(--muted); max-width:60rem; }
    .panel { background:var(--panel); border:1px solid var(--line); border-radius:4px; padding:1.2rem 1.4rem; margin-bottom:1.2rem; }
    .panel.error h1 { color: var(--accent); }
    .facts { display:flex; flex-wrap:wrap; gap:.6rem 2rem; margin:.6rem 0 0; padding:0; list-style:none; }
    .facts li span { color:var(--muted); margin-right:.4rem; }
    .cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap:1rem; }
    .card { background:var(--panel); border:1px solid var(--line); border-left:4px solid var(--brand); border-radius:4px; padding:1rem 1.2rem; }
    .card h3 { margin-top:0; }
    .stats { display:flex; gap:1.6rem; flex-wrap:wrap; margin:.8rem 0; }
    .stat b { display:block; font-size:1.5rem; color:var(--brand); font-variant-numeric: tabular-nums; }
    .stat span { color:var(--muted); font-size:.85rem; }
    .toc { display:flex; gap:1rem; flex-wrap:wrap; margin:.8rem 0 0; font-size:.95rem; }
    .table-wrap { overflow-x:auto; background:var(--panel); border:1px solid var(--line); border-radius:4px; }
    table { border-collapse:collapse; width:100%; font-size:.9rem; }
    th, td { border:1px solid var(--line); padding:.4rem .55rem; vertical-align:top; text-align:left; }
    thead th { background:var(--soft); font-weight:600; white-space:nowrap; }
    td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; white-space:nowrap; }
    td.center { text-align:center; }
    tr.category th { background:#f0f4f2; text-align:left; }
    tr.subtotal td, tr.total td { background:#fafbfa; font-weight:600; }
    tr.total td { border-top:2px solid var(--brand); }
    .badge { display:inline-block; padding:0 .45rem; border-radius:3px; font-size:.8rem; white-space:nowrap; }
    .badge.binding { background:#f8e5df; color:#8a2f1c; }
    .badge.expected { background:#e2eef8; color:#1f4f7a; }
    .badge.reference { background:#eee; color:#444; }
    .muted { color:var(--muted); }
    .carried { color:var(--muted); font-size:.8rem; }
    ol.notes { color:var(--muted); font-size:.9rem; }
    label { display:block; margin:.6rem 0 .2rem; font-weight:600; }
    input[type=text], input[type=password], textarea { width:100%; max-width:28rem; padding:.45rem .6rem; border:1px solid #b9c6c0; border-radius:3px; font:inherit; }
    textarea { max-width:100%; min-height:18rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size:.85rem; }
    .button, button[type=submit]:not(.link) { display:inline-block; background:var(--brand); color:#fff; border:none; border-radius:3px; padding:.5rem 1.2rem; font:inherit; cursor:pointer; text-decoration:none; margin-top:.8rem; }
    .button:hover, button[type=submit]:not(.link):hover { background:var(--brand-2); }
    .problems { color:var(--accent); }
    .ok { color: var(--brand); font-weight:600; }
    @media print {
      header.site nav, footer.site, .toc, .no-print { display:none !important; }
      header.site { background:none; color:#000; border-bottom:2px solid #000; }
      .brand { color:#000; }
      body { background:#fff; font-size:10.5pt; }
      main { max-width:none; padding:0; }
      .table-wrap, .panel, .card { border:none; overflow:visible; }
      table { font-size:9pt; }
      thead { display: table-header-group; }
      tr, td, th { page-break-inside: avoid; }
      h2 { page-break-after: avoid; }
      a { color:#000; text-decoration:none; }
      @page { size: A4 landscape; margin: 14mm 12mm; }
    }
    """
}

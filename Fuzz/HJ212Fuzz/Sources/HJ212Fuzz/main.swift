#if canImport(Glibc)
import Glibc
#endif
// libFuzzer's driver, started from Swift's `main` (SwiftPM renames an executable's main, so libFuzzer's own main
// cannot be used): `LLVMFuzzerRunDriver` parses the usual libFuzzer flags and calls `fuzzOneInput` for every input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
exit(status)

//! libFuzzer entry for `codegen_fuzz::response` (its property is documented there).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| codegen_fuzz::response(data));

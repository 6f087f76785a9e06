//! Any bytes, as a YAML and as a JSON spec file: the generator returns files or an error,
//! never panics, never hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["fuzz/spec.yaml", "fuzz/spec.json"] {
        let spec = codegen::SpecFile { name: name.into(), bytes: data.to_vec() };
        let _ = codegen::generate(&[spec], &codegen::Options::default());
    }
});

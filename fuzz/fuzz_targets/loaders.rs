//! Fuzz target: the file loaders (.npy header and data, .npz archives,
//! loadtxt) over arbitrary bytes, with a 64 MiB limit: errors are fine,
//! panics and allocations past the limit are not.
//! `cd fuzz && cargo +nightly fuzz run loaders -- -rss_limit_mb=512`
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    tensorcalc::io::fuzz_loaders(data, 64 << 20);
});

//! The extract parser on a whole CSV file: the first byte picks which of the extract's seven
//! files the rest becomes (the others hold only their header row), and the parser reads the
//! folder as an import would. Any bytes: errors, never a panic, and each error names a file of
//! the extract and says why.
#![no_main]

use app::service::import::{FILES, check_extract};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, content)) = data.split_first() else { return };
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    let chosen = usize::from(pick) % FILES.len();
    for (i, (file, columns)) in FILES.iter().enumerate() {
        let text = if i == chosen { content.to_vec() } else { format!("{}\n", columns.join(";")).into_bytes() };
        std::fs::write(dir.path().join(file), text).expect("write the file");
    }
    for e in check_extract(dir.path()) {
        assert!(FILES.iter().any(|(f, _)| *f == e.file), "{e}");
        assert!(!e.reason.is_empty(), "{e}");
    }
});

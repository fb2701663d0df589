//! The wasm the browser downloads: the app shell (`arbejdsbord.wasm`) raw and compressed with
//! brotli (quality 11) as served, and all the pages' chunks (`cargo leptos --split`) together.
//! What one page's first load downloads (shell + its chunks) is measured in the browser
//! (`end2end/bench`, "wasm_route").

use super::Ctx;
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &Ctx, site_root: &Path) -> anyhow::Result<()> {
    let wasm = std::fs::read(site_root.join("pkg/arbejdsbord.wasm"))?;
    let js = std::fs::read(site_root.join("pkg/arbejdsbord.js"))?;
    let (mut chunks, mut chunks_brotli) = (0usize, 0usize);
    for entry in std::fs::read_dir(site_root.join("pkg"))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".wasm") && name != "arbejdsbord.wasm" {
            chunks += 1;
            chunks_brotli += brotli_len(&std::fs::read(&path)?)?;
        }
    }
    ctx.record(json!({
        "bench": "wasm",
        "wasm_raw_kb": wasm.len() as f64 / 1024.0,
        "wasm_brotli_kb": brotli_len(&wasm)? as f64 / 1024.0,
        "js_brotli_kb": brotli_len(&js)? as f64 / 1024.0,
        "chunks": chunks,
        "chunks_brotli_kb": chunks_brotli as f64 / 1024.0,
    }))
}

fn brotli_len(data: &[u8]) -> anyhow::Result<usize> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data)?;
    }
    Ok(out.len())
}

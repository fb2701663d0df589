//! The wasm the browser downloads: raw, and compressed with brotli (quality 11) as served.

use super::Ctx;
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn run(ctx: &Ctx, site_root: &Path) -> anyhow::Result<()> {
    let wasm = std::fs::read(site_root.join("pkg/arbejdsbord.wasm"))?;
    let js = std::fs::read(site_root.join("pkg/arbejdsbord.js"))?;
    ctx.record(json!({
        "bench": "wasm",
        "wasm_raw_kb": wasm.len() as f64 / 1024.0,
        "wasm_brotli_kb": brotli_len(&wasm)? as f64 / 1024.0,
        "js_brotli_kb": brotli_len(&js)? as f64 / 1024.0,
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

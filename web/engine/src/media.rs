//! The Embed & export dialog's encoders (web/export.js through the `engine-media` worker): an
//! animated GIF from RGBA frames, quantised to a fixed palette, and a QR code as SVG.
//!
//! The palette is made from the first frame: its most frequent colours exactly (the ring and the
//! diagram are flat colours, lines and text), then a small colour cube and a grey ramp for what
//! comes later or lies between (anti-aliased edges). Each colour is mapped to its nearest entry
//! once and remembered, so a 5 s export at 480 px encodes in about a second. Frames after the
//! first hold only the rectangle that changed since the previous one.

use std::collections::HashMap;

use gif::{Encoder, Frame, Repeat};

/// Palette entries taken from the first frame's most frequent colours.
const FREQUENT: usize = 176;
/// A colour must cover this many pixels of the first frame to be taken as it is.
const MIN_PIXELS: u32 = 6;

/// A 256-colour palette, `[r, g, b, …]`: the most frequent colours of `rgba` (at most
/// [`FREQUENT`]), then a 4×4×4 colour cube and a grey ramp, filled up to 256 entries.
pub fn palette_for(rgba: &[u8]) -> Vec<u8> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for p in rgba.chunks_exact(4) {
        *counts.entry(key(p[0], p[1], p[2])).or_default() += 1;
    }
    let mut frequent: Vec<(u32, u32)> = counts.into_iter().filter(|&(_, n)| n >= MIN_PIXELS).collect();
    // Most frequent first; ties by colour, so the palette does not depend on the map's order.
    frequent.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = Vec::with_capacity(256 * 3);
    for &(c, _) in frequent.iter().take(FREQUENT) {
        out.extend_from_slice(&[(c >> 16) as u8, (c >> 8) as u8, c as u8]);
    }
    for r in 0..4u8 {
        for g in 0..4u8 {
            for b in 0..4u8 {
                out.extend_from_slice(&[r * 85, g * 85, b * 85]);
            }
        }
    }
    let greys = 256 - out.len() / 3;
    for i in 0..greys {
        let v = (i * 255 / (greys - 1).max(1)) as u8;
        out.extend_from_slice(&[v, v, v]);
    }
    out
}

fn key(r: u8, g: u8, b: u8) -> u32 {
    u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b)
}

/// The index of the palette entry nearest to a colour (weighted for the eye: green counts most).
pub fn nearest(palette: &[u8], r: u8, g: u8, b: u8) -> u8 {
    let mut best = (u32::MAX, 0usize);
    for (i, c) in palette.chunks_exact(3).enumerate() {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).unsigned_abs();
        let (dr, dg, db) = (d(r, c[0]), d(g, c[1]), d(b, c[2]));
        let dist = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
        if dist < best.0 {
            best = (dist, i);
        }
    }
    best.1 as u8
}

/// An animated GIF being written, one frame at a time.
pub struct GifWriter {
    encoder: Option<Encoder<Vec<u8>>>,
    palette: Vec<u8>,
    /// Colour → palette index, for colours already met.
    cache: HashMap<u32, u8>,
    width: u16,
    height: u16,
    delay: u16,
    previous: Vec<u8>,
    frames: u32,
}

impl GifWriter {
    /// A looping GIF of `width`×`height` pixels showing each frame for `delay_cs` hundredths of a
    /// second. None for an empty or oversized picture.
    pub fn new(width: u32, height: u32, delay_cs: u32) -> Option<GifWriter> {
        let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
        if w == 0 || h == 0 {
            return None;
        }
        Some(GifWriter {
            encoder: None,
            palette: Vec::new(),
            cache: HashMap::new(),
            width: w,
            height: h,
            delay: u16::try_from(delay_cs.max(2)).unwrap_or(u16::MAX),
            previous: Vec::new(),
            frames: 0,
        })
    }

    /// The palette, once the first frame made it.
    pub fn palette(&self) -> &[u8] {
        &self.palette
    }

    /// Adds one frame of RGBA pixels (row by row, `width`×`height`×4 bytes; alpha is ignored).
    /// Returns the number of frames so far, or None if the size is wrong.
    pub fn frame(&mut self, rgba: &[u8]) -> Option<u32> {
        let (w, h) = (usize::from(self.width), usize::from(self.height));
        if rgba.len() != w * h * 4 {
            return None;
        }
        if self.encoder.is_none() {
            self.palette = palette_for(rgba);
            let mut encoder = Encoder::new(Vec::new(), self.width, self.height, &self.palette).ok()?;
            encoder.set_repeat(Repeat::Infinite).ok()?;
            self.encoder = Some(encoder);
        }
        let (palette, cache) = (&self.palette, &mut self.cache);
        let mut last = (u32::MAX, 0u8);
        let indices: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| {
                let k = key(p[0], p[1], p[2]);
                if k != last.0 {
                    last = (k, *cache.entry(k).or_insert_with(|| nearest(palette, p[0], p[1], p[2])));
                }
                last.1
            })
            .collect();
        // The rectangle that changed since the previous frame (all of the first frame).
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, w, h);
        if self.previous.len() == indices.len() {
            (x0, y0, x1, y1) = (w, h, 0, 0);
            for y in 0..h {
                let (a, b) = (&indices[y * w..(y + 1) * w], &self.previous[y * w..(y + 1) * w]);
                if let Some(first) = a.iter().zip(b).position(|(p, q)| p != q) {
                    let last = w - a.iter().rev().zip(b.iter().rev()).position(|(p, q)| p != q).unwrap_or(0);
                    (x0, x1, y0, y1) = (x0.min(first), x1.max(last), y0.min(y), y + 1);
                }
            }
            if x0 >= x1 {
                // Nothing changed: one unchanged pixel keeps the frame and its delay.
                (x0, y0, x1, y1) = (0, 0, 1, 1);
            }
        }
        let mut part = Vec::with_capacity((x1 - x0) * (y1 - y0));
        for y in y0..y1 {
            part.extend_from_slice(&indices[y * w + x0..y * w + x1]);
        }
        let mut frame = Frame::from_indexed_pixels((x1 - x0) as u16, (y1 - y0) as u16, part, None);
        frame.left = x0 as u16;
        frame.top = y0 as u16;
        frame.delay = self.delay;
        frame.dispose = gif::DisposalMethod::Keep;
        self.encoder.as_mut()?.write_frame(&frame).ok()?;
        self.previous = indices;
        self.frames += 1;
        Some(self.frames)
    }

    /// The finished file (empty if no frame was added).
    pub fn finish(self) -> Vec<u8> {
        self.encoder.and_then(|e| e.into_inner().ok()).unwrap_or_default()
    }
}

/// A QR code of `text` as an SVG picture (dark modules on white, a 4-module quiet zone), in the
/// smallest version that holds it at error correction L (raised where that costs no size). None
/// if the text is too long for any QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let code = QrCode::encode_text(text, QrCodeEcc::Low).ok()?;
    let size = code.size();
    let full = size + 8;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" shape-rendering=\"crispEdges\" \
         data-qr-version=\"{}\"><rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        code.version().value()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_frames(gif: &[u8]) -> usize {
        let mut decoder = gif::DecodeOptions::new();
        decoder.set_color_output(gif::ColorOutput::Indexed);
        let mut d = decoder.read_info(gif).expect("a GIF");
        let mut n = 0;
        while d.read_next_frame().expect("a frame").is_some() {
            n += 1;
        }
        n
    }

    #[test]
    fn the_palette_holds_the_first_frames_colours_exactly() {
        // A frame of three flat colours and one stray pixel.
        let mut rgba = Vec::new();
        for i in 0..300 {
            let c: [u8; 3] = match i {
                0..=99 => [247, 247, 244],
                100..=199 => [86, 180, 233],
                200..=298 => [0, 158, 115],
                _ => [1, 2, 3],
            };
            rgba.extend_from_slice(&[c[0], c[1], c[2], 255]);
        }
        let p = palette_for(&rgba);
        assert_eq!(p.len(), 768);
        for c in [[247u8, 247, 244], [86, 180, 233], [0, 158, 115]] {
            let i = usize::from(nearest(&p, c[0], c[1], c[2]));
            assert_eq!(&p[i * 3..i * 3 + 3], &c, "{c:?} is in the palette");
        }
        // The stray pixel is not taken as it is (no entry is exactly it), but a near grey is.
        assert!(!p.chunks_exact(3).any(|c| c == [1, 2, 3]));
        let i = usize::from(nearest(&p, 1, 2, 3));
        assert!(p[i * 3..i * 3 + 3].iter().all(|&v| v <= 4), "{:?}", &p[i * 3..i * 3 + 3]);
        // A colour not in the frame finds a close entry of the cube.
        let i = usize::from(nearest(&p, 213, 94, 0));
        assert!(p[i * 3] >= 170 && p[i * 3 + 1] <= 100 && p[i * 3 + 2] <= 40, "{:?}", &p[i * 3..i * 3 + 3]);
    }

    #[test]
    fn a_gif_has_its_header_size_and_every_frame() {
        let (w, h) = (40u32, 30u32);
        let mut writer = GifWriter::new(w, h, 10).expect("a writer");
        for k in 0..12u8 {
            let mut rgba = vec![255u8; (w * h * 4) as usize];
            // A moving dark square, and one frame identical to the one before.
            let x = usize::from(k.min(10)) * 3;
            for y in 5..10 {
                for dx in 0..5 {
                    let i = (y * w as usize + x + dx) * 4;
                    rgba[i..i + 3].copy_from_slice(&[0, 0, 0]);
                }
            }
            assert_eq!(writer.frame(&rgba), Some(u32::from(k) + 1));
        }
        assert_eq!(writer.frame(&[0; 7]), None, "a frame of the wrong size is refused");
        assert_eq!(writer.palette().len(), 768);
        let bytes = writer.finish();
        assert_eq!(&bytes[..6], b"GIF89a");
        assert_eq!(u16::from_le_bytes([bytes[6], bytes[7]]), 40);
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 30);
        assert_eq!(count_frames(&bytes), 12);
    }

    #[test]
    fn empty_pictures_are_refused() {
        assert!(GifWriter::new(0, 10, 10).is_none());
        assert!(GifWriter::new(70000, 10, 10).is_none());
        assert!(GifWriter::new(10, 10, 10).expect("a writer").finish().is_empty(), "no frame, no file");
    }

    #[test]
    fn qr_codes_grow_with_the_text_and_refuse_what_no_version_holds() {
        let short = qr_svg("https://example.org/ballot/#run=1.abc").expect("a QR code");
        assert!(short.starts_with("<svg") && short.contains("data-qr-version=\"3\""), "{short}");
        let link = format!("https://example.org/ballot/index.html?protocol=raft#run=1.{}", "A".repeat(1900));
        let long = qr_svg(&link).expect("a long link still fits");
        assert!(!long.contains("data-qr-version=\"3\""));
        assert!(qr_svg(&"x".repeat(3000)).is_none());
    }
}

//! A Braille canvas: each character cell holds 2×4 dots (U+2800 + the dot
//! bits), and remembers which series drew in it last, for its colour.
//! Points are binned to dots as they come, so the cost is one pass over
//! the points plus, for lines, the dots of the segments between columns.

/// The bit of dot (column `dx`, row `dy`) inside a cell, Unicode's order.
const DOT: [[u8; 4]; 2] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];

/// No series drew in this cell.
pub const NOBODY: u8 = u8::MAX;

/// Dash patterns over dot columns that tell series apart without colour:
/// solid, dashed, dotted, sparse.
pub fn dash_on(pattern: u8, x: usize) -> bool {
    match pattern % 4 {
        0 => true,
        1 => x % 6 < 4,
        2 => x.is_multiple_of(2),
        _ => x % 6 < 2,
    }
}

/// Where a line being drawn stands: its last dot, and the span of rows
/// its points cover in the current dot column.
struct Pen {
    who: u8,
    pattern: Option<u8>,
    prev: Option<(i64, i64)>,
    run: Option<(i64, i64, i64)>,
}

pub struct Canvas {
    /// Size in dots.
    pub w: usize,
    pub h: usize,
    cols: usize,
    bits: Vec<u8>,
    owner: Vec<u8>,
    filled: usize,
}

/// One point's place on the canvas: the maps from data to dot coordinates.
#[derive(Clone, Copy)]
pub struct Mapping {
    pub xlo: f64,
    pub xscale: f64,
    pub yhi: f64,
    pub yscale: f64,
}

impl Mapping {
    /// Dot column and row of a finite point (row 0 at the top).
    #[inline]
    fn dot(&self, x: f64, y: f64, w: usize, h: usize) -> (i64, i64) {
        // `+ 0.5` then truncation rounds (the coordinates are ≥ -0.5 up
        // to rounding): `f64::round` is a library call on baseline x86-64.
        let c = ((x - self.xlo) * self.xscale + 0.5) as i64;
        let r = ((self.yhi - y) * self.yscale + 0.5) as i64;
        (c.clamp(0, w as i64 - 1), r.clamp(0, h as i64 - 1))
    }
}

impl Canvas {
    /// A blank canvas of `cols` × `rows` character cells.
    pub fn new(cols: usize, rows: usize) -> Canvas {
        Canvas {
            w: cols * 2,
            h: rows * 4,
            cols,
            bits: vec![0; cols * rows],
            owner: vec![NOBODY; cols * rows],
            filled: 0,
        }
    }

    /// The map of x in [xlo, xhi] and y in [ylo, yhi] onto the dots.
    pub fn mapping(&self, xlo: f64, xhi: f64, ylo: f64, yhi: f64) -> Mapping {
        Mapping {
            xlo,
            xscale: (self.w - 1) as f64 / (xhi - xlo),
            yhi,
            yscale: (self.h - 1) as f64 / (yhi - ylo),
        }
    }

    #[inline]
    fn set(&mut self, x: i64, y: i64, who: u8) {
        let (x, y) = (x as usize, y as usize);
        let cell = (y / 4) * self.cols + x / 2;
        let bit = DOT[x % 2][y % 4];
        if self.bits[cell] & bit == 0 {
            self.bits[cell] |= bit;
            self.filled += 1;
        }
        self.owner[cell] = who;
    }

    fn full(&self) -> bool {
        self.filled == self.w * self.h
    }

    /// The dots of column `x` from row `a` to row `b`.
    fn span(&mut self, x: i64, a: i64, b: i64, who: u8, pattern: Option<u8>) {
        if pattern.is_some_and(|p| !dash_on(p, x as usize)) {
            return;
        }
        for y in a.min(b)..=a.max(b) {
            self.set(x, y, who);
        }
    }

    /// A straight segment of dots.
    fn segment(
        &mut self,
        (x0, y0): (i64, i64),
        (x1, y1): (i64, i64),
        who: u8,
        pattern: Option<u8>,
    ) {
        let steps = (x1 - x0).abs().max((y1 - y0).abs());
        for k in 0..=steps {
            let x = x0 + ((x1 - x0) * k * 2 + steps).div_euclid(2 * steps.max(1));
            let y = y0 + ((y1 - y0) * k * 2 + steps).div_euclid(2 * steps.max(1));
            if pattern.is_none_or(|p| dash_on(p, x as usize)) {
                self.set(x, y, who);
            }
        }
    }

    /// Points joined by lines; a non-finite point breaks the line. Points
    /// that fall in one dot column are drawn as the span they cover, so a
    /// series sorted by x costs one pass however many points it has; at
    /// positions 0, 1, 2, ... each column's points are one slice, of which
    /// only the first, last, lowest and highest matter.
    pub fn lines(
        &mut self,
        map: &Mapping,
        x: Option<&[f64]>,
        y: &[f64],
        who: u8,
        pattern: Option<u8>,
    ) {
        let mut pen = Pen {
            who,
            pattern,
            prev: None,
            run: None,
        };
        match x {
            Some(x) => {
                for (&xv, &yv) in x.iter().zip(y) {
                    self.step(&mut pen, map, xv, yv);
                    if self.full() {
                        return;
                    }
                }
            }
            None => {
                let mut i = 0;
                while i < y.len() {
                    let (c, _) = map.dot(i as f64, 0.0, self.w, self.h);
                    // The end of this column's points: positions whose dot
                    // column is c (monotone in the position).
                    let mut end = ((c as f64 + 0.5) / map.xscale + map.xlo)
                        .floor()
                        .max(i as f64) as usize
                        + 1;
                    while end > i + 1 && map.dot((end - 1) as f64, 0.0, self.w, self.h).0 != c {
                        end -= 1;
                    }
                    while end < y.len() && map.dot(end as f64, 0.0, self.w, self.h).0 == c {
                        end += 1;
                    }
                    let end = end.min(y.len());
                    let chunk = &y[i..end];
                    let (lo, hi, finite) = chunk
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY, true), |(l, h, f), &v| {
                            (l.min(v), h.max(v), f && v.is_finite())
                        });
                    if finite && chunk.len() > 4 {
                        let at = i as f64;
                        for v in [chunk[0], lo, hi, chunk[chunk.len() - 1]] {
                            self.step(&mut pen, map, at, v);
                        }
                    } else {
                        for (k, &v) in chunk.iter().enumerate() {
                            self.step(&mut pen, map, (i + k) as f64, v);
                        }
                    }
                    i = end;
                }
            }
        }
        if let Some((c, a, b)) = pen.run {
            self.span(c, a, b, who, pattern);
        }
    }

    /// One more point of a line.
    #[inline]
    fn step(&mut self, pen: &mut Pen, map: &Mapping, xv: f64, yv: f64) {
        if !xv.is_finite() || !yv.is_finite() {
            if let Some((c, a, b)) = pen.run.take() {
                self.span(c, a, b, pen.who, pen.pattern);
            }
            pen.prev = None;
            return;
        }
        let (c, r) = map.dot(xv, yv, self.w, self.h);
        match (pen.prev, &mut pen.run) {
            (Some((pc, _)), Some((_, a, b))) if pc == c => {
                *a = (*a).min(r);
                *b = (*b).max(r);
            }
            (Some(p), _) => {
                if let Some((rc, a, b)) = pen.run.take() {
                    self.span(rc, a, b, pen.who, pen.pattern);
                }
                self.segment(p, (c, r), pen.who, pen.pattern);
                pen.run = Some((c, r, r));
            }
            (None, _) => pen.run = Some((c, r, r)),
        }
        pen.prev = Some((c, r));
    }

    /// One dot per finite point.
    pub fn points(&mut self, map: &Mapping, x: Option<&[f64]>, y: &[f64], who: u8) {
        let (w, h) = (self.w, self.h);
        for (i, &yv) in y.iter().enumerate() {
            let xv = x.map_or(i as f64, |x| x[i]);
            if xv.is_finite() && yv.is_finite() {
                let (c, r) = map.dot(xv, yv, w, h);
                self.set(c, r, who);
            }
        }
    }

    /// Row `row` of cells: each cell's character and the series that drew
    /// in it last (`NOBODY` for a blank cell).
    pub fn row(&self, row: usize) -> impl Iterator<Item = (char, u8)> + '_ {
        let at = row * self.cols;
        (at..at + self.cols).map(|i| match self.bits[i] {
            0 => (' ', NOBODY),
            b => (
                char::from_u32(0x2800 + b as u32).expect("Braille block"),
                self.owner[i],
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(c: &Canvas, rows: usize) -> Vec<String> {
        (0..rows)
            .map(|r| c.row(r).map(|(ch, _)| ch).collect())
            .collect()
    }

    #[test]
    fn a_rising_line_fills_the_diagonal_dots() {
        let mut c = Canvas::new(2, 1);
        let map = c.mapping(0.0, 3.0, 0.0, 3.0);
        c.lines(&map, None, &[0.0, 1.0, 2.0, 3.0], 0, None);
        // Dots (0,3) (1,2) | (2,1) (3,0): bits 0x40|0x20 and 0x02|0x08.
        assert_eq!(text(&c, 1), ["⡠⠊"]);
    }

    #[test]
    fn points_in_one_column_become_a_span_and_nan_breaks_the_line() {
        let mut c = Canvas::new(1, 1);
        let map = c.mapping(0.0, 1.0, 0.0, 3.0);
        // All x at 0: one vertical span in the left column.
        c.lines(&map, Some(&[0.0, 0.0, 0.0]), &[0.0, 3.0, 1.0], 0, None);
        assert_eq!(text(&c, 1), ["⡇"]);
        let mut c = Canvas::new(2, 1);
        let map = c.mapping(0.0, 3.0, 0.0, 3.0);
        c.lines(&map, None, &[0.0, f64::NAN, 0.0, 0.0], 0, None);
        // The gap: no dot at x = 1.
        assert_eq!(text(&c, 1), ["⡀⣀"]);
    }

    #[test]
    fn positions_drawn_column_by_column_equal_points_drawn_one_by_one() {
        // A wiggly series with gaps, far more points than dot columns.
        let y: Vec<f64> = (0..5000)
            .map(|i| {
                if i % 997 == 0 {
                    f64::NAN
                } else {
                    ((i as f64) * 0.37).sin() * (i as f64).sqrt()
                }
            })
            .collect();
        let x: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
        for pattern in [None, Some(1)] {
            let draw = |xs: Option<&[f64]>| {
                let mut c = Canvas::new(37, 9);
                let map = c.mapping(0.0, 4999.0, -80.0, 80.0);
                c.lines(&map, xs, &y, 0, pattern);
                text(&c, 9)
            };
            assert_eq!(draw(None), draw(Some(&x)));
        }
    }

    #[test]
    fn dashes_leave_columns_out() {
        assert!(dash_on(0, 5));
        assert!(dash_on(1, 3) && !dash_on(1, 4));
        assert!(dash_on(2, 2) && !dash_on(2, 3));
    }
}

//! Which rows of a long list are in the DOM, and where they sit, for a scroll position.
//!
//! Rows have one fixed height. Up to [`MAX_SCROLL_HEIGHT`] the scrollable height is
//! simply `count × row_height`. Beyond it (1,000,000 rows of 37 px is 37,000,000 px, more
//! than browsers lay out) the scrollable height is capped and scrolling is mapped
//! proportionally onto the rows, so the top of the scrollbar is the first row and the
//! bottom the last, and every row in between is reachable.

/// The tallest scrollable height used: well under the smallest browser limit
/// (Firefox's, about 17.8 million px; Chromium's is about 33.5 million).
pub const MAX_SCROLL_HEIGHT: f64 = 15_000_000.0;

/// A list of `count` rows of `row_height` px, shown in a viewport of `viewport` px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub count: usize,
    pub row_height: f64,
    pub viewport: f64,
    /// Rows rendered beyond each edge of the viewport.
    pub overscan: usize,
}

/// The rows to render for one scroll position, and the spacers around them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// First row rendered (position in the list).
    pub first: usize,
    /// One past the last row rendered.
    pub last: usize,
    /// Height of the spacer before the first rendered row, in px.
    pub before: f64,
    /// Height of the spacer after the last rendered row, in px.
    pub after: f64,
}

impl Layout {
    /// The full height the rows would take.
    fn natural_height(&self) -> f64 {
        self.count as f64 * self.row_height
    }

    /// The scrollable height of the rows: natural, or capped.
    pub fn scroll_height(&self) -> f64 {
        self.natural_height().min(MAX_SCROLL_HEIGHT)
    }

    /// How many natural px one scrolled px stands for (1 unless capped).
    fn scale(&self) -> f64 {
        let natural = self.natural_height() - self.viewport;
        let physical = self.scroll_height() - self.viewport;
        if natural <= 0.0 || physical <= 0.0 || natural <= physical {
            1.0
        } else {
            natural / physical
        }
    }

    fn max_scroll(&self) -> f64 {
        (self.scroll_height() - self.viewport).max(0.0)
    }

    /// The rows to render when scrolled to `scroll_top` px.
    pub fn window(&self, scroll_top: f64) -> Window {
        let scroll_top = if scroll_top.is_finite() {
            scroll_top.clamp(0.0, self.max_scroll())
        } else {
            0.0
        };
        let height = self.row_height.max(1.0);
        // The natural offset shown at the top of the viewport.
        let virtual_top = scroll_top * self.scale();
        let top_row = ((virtual_top / height) as usize).min(self.count);
        // Rows are placed so that row `r` sits at `scroll_top + r × height − virtual_top`;
        // the spacer before the first rendered row cannot be negative.
        let lowest_first = ((virtual_top - scroll_top) / height).ceil().max(0.0) as usize;
        let first = top_row
            .saturating_sub(self.overscan)
            .max(lowest_first)
            .min(top_row);
        let in_view = (self.viewport / height).ceil() as usize + 1;
        let last = (top_row + in_view + self.overscan).min(self.count);
        let before = (scroll_top - virtual_top + first as f64 * height).max(0.0);
        let after = (self.scroll_height() - before - (last - first) as f64 * height).max(0.0);
        Window {
            first,
            last,
            before,
            after,
        }
    }

    /// The scroll position that brings row `position` fully into view, moving as little
    /// as possible from `scroll_top`; `None` when it is already in view.
    pub fn scroll_to_reveal(&self, scroll_top: f64, position: usize) -> Option<f64> {
        let height = self.row_height.max(1.0);
        let scale = self.scale();
        let virtual_top = scroll_top * scale;
        let row_top = position as f64 * height;
        let row_bottom = row_top + height;
        let target = if row_top < virtual_top {
            row_top
        } else if row_bottom > virtual_top + self.viewport {
            row_bottom - self.viewport
        } else {
            return None;
        };
        Some((target / scale).clamp(0.0, self.max_scroll()))
    }

    /// The scroll position that puts row `position` at the top of the viewport.
    pub fn scroll_to_top_of(&self, position: usize) -> f64 {
        let natural = position as f64 * self.row_height.max(1.0);
        (natural / self.scale()).clamp(0.0, self.max_scroll())
    }

    /// The row at the top of the viewport when scrolled to `scroll_top`.
    pub fn row_at_top(&self, scroll_top: f64) -> usize {
        let virtual_top = scroll_top.max(0.0) * self.scale();
        ((virtual_top / self.row_height.max(1.0)) as usize).min(self.count.saturating_sub(1))
    }

    /// How many whole rows fit in the viewport (at least one): the step of Page Up/Down.
    pub fn page_rows(&self) -> usize {
        ((self.viewport / self.row_height.max(1.0)) as usize).max(1)
    }
}

/// A keyboard move among the rows of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMove {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

impl RowMove {
    /// The move a key (a `KeyboardEvent.key` value) makes; `None` for other keys.
    pub fn from_key(key: &str) -> Option<RowMove> {
        Some(match key {
            "ArrowUp" => RowMove::Up,
            "ArrowDown" => RowMove::Down,
            "PageUp" => RowMove::PageUp,
            "PageDown" => RowMove::PageDown,
            "Home" => RowMove::First,
            "End" => RowMove::Last,
            _ => return None,
        })
    }

    /// The row reached from `current` among `count` rows, `page` rows a page; `None`
    /// when there are no rows.
    pub fn apply(self, current: usize, count: usize, page: usize) -> Option<usize> {
        let last = count.checked_sub(1)?;
        let current = current.min(last);
        Some(match self {
            RowMove::Up => current.saturating_sub(1),
            RowMove::Down => (current + 1).min(last),
            RowMove::PageUp => current.saturating_sub(page.max(1)),
            RowMove::PageDown => (current + page.max(1)).min(last),
            RowMove::First => 0,
            RowMove::Last => last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn layout(count: usize) -> Layout {
        Layout {
            count,
            row_height: 37.0,
            viewport: 700.0,
            overscan: 10,
        }
    }

    /// Rows `[a, b)` lie within the viewport when scrolled to `scroll_top`.
    fn rows_in_view(l: &Layout, scroll_top: f64) -> (usize, usize) {
        let w = l.window(scroll_top);
        // Row `first + k` is at `before + k × h` in the scrolled content.
        let visible = |k: usize| {
            let y = w.before + k as f64 * l.row_height;
            y + l.row_height > scroll_top && y < scroll_top + l.viewport
        };
        let shown: Vec<usize> = (0..w.last - w.first).filter(|&k| visible(k)).collect();
        (
            w.first + shown.first().copied().unwrap_or(0),
            w.first + shown.last().map_or(0, |k| k + 1),
        )
    }

    #[test]
    fn a_short_list_is_laid_out_naturally() {
        let l = layout(1_000);
        assert_eq!(l.scroll_height(), 37_000.0);
        let w = l.window(370.0);
        assert_eq!((w.first, w.before), (0, 0.0));
        let w = l.window(3_700.0);
        assert_eq!(w.first, 90);
        assert_eq!(w.before, 90.0 * 37.0);
        assert_eq!(w.last, 100 + 20 + 10);
        assert_eq!(
            w.before + (w.last - w.first) as f64 * 37.0 + w.after,
            37_000.0
        );
    }

    #[test]
    fn a_million_rows_fit_under_the_cap_and_the_last_is_reachable() {
        let l = layout(1_000_000);
        assert_eq!(l.scroll_height(), MAX_SCROLL_HEIGHT);
        let bottom = MAX_SCROLL_HEIGHT - 700.0;
        let w = l.window(bottom);
        assert_eq!(w.last, 1_000_000);
        let (_, last_seen) = rows_in_view(&l, bottom);
        assert_eq!(
            last_seen, 1_000_000,
            "the last row is in view at the bottom"
        );
        assert_eq!(
            rows_in_view(&l, 0.0).0,
            0,
            "the first row is in view at the top"
        );
    }

    #[test]
    fn revealing_a_row_scrolls_only_when_needed() {
        let l = layout(1_000);
        assert_eq!(l.scroll_to_reveal(0.0, 5), None);
        assert_eq!(l.scroll_to_reveal(0.0, 999), Some(37_000.0 - 700.0));
        assert_eq!(l.scroll_to_reveal(37_000.0 - 700.0, 0), Some(0.0));
        assert_eq!(l.scroll_to_top_of(10), 370.0);
        assert_eq!(l.row_at_top(370.0), 10);
        assert_eq!(l.page_rows(), 18);
    }

    #[test]
    fn nothing_to_show_is_an_empty_window() {
        let w = layout(0).window(500.0);
        assert_eq!((w.first, w.last, w.before, w.after), (0, 0, 0.0, 0.0));
        let w = layout(5).window(f64::NAN);
        assert_eq!((w.first, w.last), (0, 5));
    }

    #[test]
    fn keys_move_within_the_rows() {
        let moves =
            |key: &str, from: usize| RowMove::from_key(key).and_then(|m| m.apply(from, 100, 18));
        assert_eq!(moves("ArrowDown", 5), Some(6));
        assert_eq!(moves("ArrowDown", 99), Some(99));
        assert_eq!(moves("ArrowUp", 0), Some(0));
        assert_eq!(moves("PageDown", 90), Some(99));
        assert_eq!(moves("PageUp", 20), Some(2));
        assert_eq!(moves("Home", 50), Some(0));
        assert_eq!(moves("End", 0), Some(99));
        assert_eq!(moves("End", 500), Some(99), "a stale position is clamped");
        assert_eq!(moves("Enter", 5), None);
        assert_eq!(RowMove::Last.apply(0, 0, 18), None);
    }

    proptest! {
        #[test]
        fn every_scroll_position_renders_the_rows_in_view(
            count in 0usize..3_000_000,
            fraction in 0.0f64..=1.0,
        ) {
            let l = layout(count);
            let scroll_top = fraction * (l.scroll_height() - l.viewport).max(0.0);
            let w = l.window(scroll_top);
            prop_assert!(w.first <= w.last && w.last <= count);
            prop_assert!(w.before >= 0.0 && w.after >= 0.0);
            prop_assert!(w.last - w.first <= 20 + 2 + 2 * 10, "a bounded number of rows");
            // The rendered rows cover the whole viewport unless the list ends first.
            let rendered_end = w.before + (w.last - w.first) as f64 * l.row_height;
            prop_assert!(w.before <= scroll_top + 0.001);
            prop_assert!(rendered_end >= (scroll_top + l.viewport).min(l.scroll_height()) - 0.001
                || w.last == count);
            // The total height never changes while scrolling.
            let total = rendered_end + w.after;
            prop_assert!((total - l.scroll_height().max(rendered_end)).abs() < 0.01);
        }

        #[test]
        fn revealing_any_row_puts_it_in_view(count in 1usize..3_000_000, pick in 0.0f64..1.0, from in 0.0f64..1.0) {
            let l = layout(count);
            let position = ((count - 1) as f64 * pick) as usize;
            let start = from * (l.scroll_height() - l.viewport).max(0.0);
            let scroll_top = l.scroll_to_reveal(start, position).unwrap_or(start);
            let (a, b) = rows_in_view(&l, scroll_top);
            prop_assert!(a <= position && position < b, "row {position} in view [{a}, {b})");
        }
    }
}

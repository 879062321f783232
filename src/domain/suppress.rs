//! Small-cell suppression for published tables: a cell of 1 to k-1 is hidden ("<k"), and
//! complementary cells are hidden too, so that no hidden cell can be recovered from a row
//! or column total and the cells shown beside it (primary + complementary suppression, as
//! the Italian statistical system asks with k = 3).

/// Which cells of `m` (rows × columns) to hide for threshold `k`. Zeros are never hidden
/// (everyone can see a zero); a complementary cell is the smallest non-zero visible cell of
/// a row or column that would otherwise have exactly one hidden cell.
pub fn suppress(m: &[Vec<u64>], k: u64) -> Vec<Vec<bool>> {
    let mut hide: Vec<Vec<bool>> = m.iter().map(|r| r.iter().map(|&v| v > 0 && v < k).collect()).collect();
    if k <= 1 {
        return hide;
    }
    let cols = m.iter().map(Vec::len).max().unwrap_or(0);
    loop {
        let mut changed = false;
        // Rows with exactly one hidden cell.
        for (r, row) in m.iter().enumerate() {
            if hide[r].iter().filter(|h| **h).count() == 1
                && let Some(c) = smallest_visible((0..row.len()).map(|c| (c, row[c], hide[r][c])))
            {
                hide[r][c] = true;
                changed = true;
            }
        }
        // Columns with exactly one hidden cell.
        for c in 0..cols {
            let cells = || m.iter().enumerate().filter(|(_, row)| c < row.len());
            if cells().filter(|(r, _)| hide[*r][c]).count() == 1
                && let Some(r) = smallest_visible(cells().map(|(r, row)| (r, row[c], hide[r][c])))
            {
                hide[r][c] = true;
                changed = true;
            }
        }
        if !changed {
            return hide;
        }
    }
}

/// True when some column of `hide` has exactly one hidden cell: no visible non-zero cell was
/// left to hide with it, so the column's total would give it away and must be withheld.
pub fn exposes_a_total(hide: &[Vec<bool>]) -> bool {
    let cols = hide.iter().map(Vec::len).max().unwrap_or(0);
    (0..cols).any(|c| hide.iter().filter(|r| r.get(c).copied().unwrap_or(false)).count() == 1)
}

/// The index of the smallest non-zero cell not yet hidden.
fn smallest_visible(cells: impl Iterator<Item = (usize, u64, bool)>) -> Option<usize> {
    cells.filter(|(_, v, h)| *v > 0 && !h).min_by_key(|(i, v, _)| (*v, *i)).map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hidden cell cannot be worked out from its row's and column's totals.
    fn recoverable(m: &[Vec<u64>], hide: &[Vec<bool>]) -> bool {
        let row_alone = hide.iter().any(|r| r.iter().filter(|h| **h).count() == 1);
        let cols = m[0].len();
        let col_alone = (0..cols).any(|c| hide.iter().filter(|r| r[c]).count() == 1);
        row_alone || col_alone
    }

    #[test]
    fn small_cells_and_their_complements_are_hidden() {
        let m = vec![vec![5, 1, 7], vec![4, 6, 9], vec![8, 3, 2]];
        let h = suppress(&m, 3);
        assert!(h[0][1] && h[2][2], "primary: 1 and 2");
        assert!(!recoverable(&m, &h), "{h:?}");
        assert!(!h[1][0] || !h[1][1] || !h[1][2], "not everything");
    }

    #[test]
    fn nothing_small_nothing_hidden_and_zeros_stay() {
        let m = vec![vec![5, 0, 7], vec![4, 6, 9]];
        assert!(suppress(&m, 3).iter().flatten().all(|h| !h));
        let one = vec![vec![0, 1, 0]];
        let h = suppress(&one, 3);
        assert_eq!(h, vec![vec![false, true, false]], "no non-zero partner exists");
        assert!(exposes_a_total(&h), "so the column total must go");
        let two = vec![vec![1, 5], vec![2, 7]];
        assert!(!exposes_a_total(&suppress(&two, 3)));
    }

    #[test]
    fn every_pattern_of_a_small_table_is_protected_where_possible() {
        // Exhaustive over 2×3 tables with values 0..4: no hidden cell alone in a row or
        // column unless no visible non-zero partner was left.
        let vals = [0u64, 1, 2, 3, 4];
        for code in 0..5usize.pow(6) {
            let mut x = code;
            let mut m = vec![vec![0; 3]; 2];
            for cell in m.iter_mut().flatten() {
                *cell = vals[x % 5];
                x /= 5;
            }
            let h = suppress(&m, 3);
            for r in 0..2 {
                for c in 0..3 {
                    if m[r][c] > 0 && m[r][c] < 3 {
                        assert!(h[r][c], "{m:?}");
                    }
                }
                if h[r].iter().filter(|x| **x).count() == 1 {
                    let partners = (0..3).filter(|&c| !h[r][c] && m[r][c] > 0).count();
                    assert_eq!(partners, 0, "{m:?} {h:?}");
                }
            }
        }
    }
}

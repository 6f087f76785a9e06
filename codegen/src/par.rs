//! Running independent jobs on every core, with results in input order so the output never
//! depends on scheduling.

use std::sync::Mutex;

/// A worker thread panicked (a bug in the generator, reported as an error by callers).
#[derive(Debug)]
pub(crate) struct Panicked;

/// `f(&state, item)` for every item, on up to 8 threads; results in the order of `items`.
/// Each worker makes its own `state` with `init` (for values that cannot cross threads).
/// Workers take the next item from a shared queue: a fixed split gives one worker most of
/// the work when large items sit at regular positions.
pub(crate) fn map<T, S, R>(
    items: Vec<T>,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&S, T) -> R + Sync,
) -> Result<Vec<R>, Panicked>
where
    T: Send,
    R: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(items.len());
    let n = items.len();
    if threads <= 1 {
        let state = init();
        return Ok(items.into_iter().map(|item| f(&state, item)).collect());
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let (init, f) = (&init, &f);
    let shares = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let queue = &queue;
                scope.spawn(move || {
                    let state = init();
                    let mut done = Vec::new();
                    // A poisoned lock means another worker panicked; its join reports it.
                    while let Some((i, item)) = queue.lock().ok().and_then(|mut q| q.next()) {
                        done.push((i, f(&state, item)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| Panicked))
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut slots: Vec<Option<R>> = (0..n).map(|_| None).collect();
    for (i, r) in shares.into_iter().flatten() {
        slots[i] = Some(r);
    }
    // Every index was taken by exactly one worker that returned normally.
    slots.into_iter().map(|r| r.ok_or(Panicked)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_and_state_is_per_worker() {
        let items: Vec<usize> = (0..1000).collect();
        let out = map(items, || 7usize, |s, i| i * 2 + s).unwrap();
        assert_eq!(out, (0..1000).map(|i| i * 2 + 7).collect::<Vec<_>>());
        assert!(map(Vec::<u8>::new(), || (), |_, x| x).unwrap().is_empty());
    }

    #[test]
    fn a_panicking_job_is_reported() {
        let r = map(
            (0..100).collect(),
            || (),
            |_, i: i32| {
                assert!(i != 50, "boom");
                i
            },
        );
        assert!(r.is_err());
    }
}

//! A cancel flag shared between the waiting authorization and the window's Cancel button.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Cancels a waiting authorization (the window's Cancel button); cheap to clone.
/// Every clone sees the same flag; once cancelled it stays cancelled.
#[derive(Clone, Default, Debug)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::Cancel;

    #[test]
    fn clones_share_the_flag() {
        let cancel = Cancel::default();
        let other = cancel.clone();
        assert!(!other.is_cancelled());
        cancel.cancel();
        assert!(other.is_cancelled());
    }
}

//! The `voizk` binary's global allocator: the system allocator for small blocks, and for every block of 2 MiB
//! or more a mapping of its own, aligned to 2 MiB and advised to the kernel as transparent huge pages
//! (`madvise(MADV_HUGEPAGE)`) before it is first touched.
//!
//! The provers allocate their low-degree extensions, Merkle trees and the leaf circuit's 620 MB of prover data
//! afresh, gigabytes per proof, and the kernel then takes a page fault and clears a page for every 4 KiB
//! touched (about 900 000 faults per 3 s proof). With the hint, a fault maps and clears 2 MiB at once
//! (`docs/PERFORMANCE.md`, issue 19 step 3). It changes nothing the program computes: the same bytes, only
//! the kernel's page size behind them. The kernel honours it when transparent huge pages are in `madvise` or
//! `always` mode (`/sys/kernel/mm/transparent_hugepage/enabled`); in `never` mode it is a no-op.

use std::alloc::{GlobalAlloc, Layout, System};

/// The size of a transparent huge page on x86-64 and most aarch64 kernels.
pub const HUGE_PAGE: usize = 2 << 20;

/// Blocks of at least this many bytes are mapped by [`HugePageAlloc`] itself; smaller ones come from
/// [`System`].
pub const MIN_MAPPED: usize = HUGE_PAGE;

/// [`System`] for small blocks; blocks of at least [`MIN_MAPPED`] bytes are anonymous mappings of their own,
/// aligned to [`HUGE_PAGE`] and advised as huge pages. (Advising `malloc`'s own
/// large blocks instead helps little: its mappings are not aligned to huge pages, so a 4 MiB column holds
/// only one whole huge page, and the blocks it recycles from its heaps are not advised at all.)
pub struct HugePageAlloc;

/// The length of the mapping of a block of `size` bytes: whole huge pages (the build measured in
/// `docs/PERFORMANCE.md`; whole 4 KiB pages instead measured the same peak within noise).
fn mapped_len(size: usize) -> usize {
    size.next_multiple_of(HUGE_PAGE)
}

/// A fresh mapping of `len` bytes (a multiple of [`HUGE_PAGE`]) aligned to [`HUGE_PAGE`] and advised as huge
/// pages, zeroed by the kernel; null when the kernel refuses.
fn map(len: usize) -> *mut u8 {
    let Some(padded) = len.checked_add(HUGE_PAGE) else { return std::ptr::null_mut() };
    // SAFETY: an anonymous private mapping at an address of the kernel's choosing touches no existing memory.
    let raw = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            padded,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    let raw = raw as usize;
    let start = raw.next_multiple_of(HUGE_PAGE);
    // SAFETY: the head `[raw, start)` and the tail `[start + len, raw + padded)` are parts of the mapping just
    // made, outside the block returned, and page-aligned; the block itself is advised, which changes no byte.
    unsafe {
        if start > raw {
            libc::munmap(raw as *mut libc::c_void, start - raw);
        }
        let tail = raw + padded - (start + len);
        if tail > 0 {
            libc::munmap((start + len) as *mut libc::c_void, tail);
        }
        // A failing madvise (THP compiled out) leaves ordinary pages: the block is still good.
        libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
    start as *mut u8
}

// SAFETY: blocks below `MIN_MAPPED` bytes are `System`'s, allocated and freed by it with the caller's layout.
// Blocks of `MIN_MAPPED` bytes or more are mappings of `mapped_len(size)` bytes at a `HUGE_PAGE` boundary
// (every alignment a `Layout` can ask of a block this large and no larger than a huge page is met; a larger
// alignment goes to `System`), and the size of the layout a block is freed or reallocated with is the size
// it was allocated with (`GlobalAlloc`'s contract), so which allocator owns a block is known from its layout.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ours(layout) {
            map(mapped_len(layout.size()))
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if ours(layout) {
            map(mapped_len(layout.size()))
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (ours(layout), ours(new_layout)) {
            (false, false) => unsafe { System.realloc(ptr, layout, new_size) },
            (true, true) if mapped_len(new_size) == mapped_len(layout.size()) => ptr,
            _ => {
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                new
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ours(layout) {
            // SAFETY: `ptr` is the start of a mapping of `mapped_len(layout.size())` bytes made by `map`.
            unsafe {
                libc::munmap(ptr as *mut libc::c_void, mapped_len(layout.size()));
            }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }
}

/// Whether a block of `layout` is mapped by [`HugePageAlloc`] itself.
fn ours(layout: Layout) -> bool {
    layout.size() >= MIN_MAPPED && layout.align() <= HUGE_PAGE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `VmFlags` line of `/proc/self/smaps` for the mapping that holds `addr`.
    fn vm_flags(addr: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ') {
                if let Some((a, b)) = range.split_once('-') {
                    if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) {
                        inside = (a..b).contains(&addr);
                        continue;
                    }
                }
            }
            if inside && line.starts_with("VmFlags:") {
                return line.to_string();
            }
        }
        panic!("no mapping holds {addr:#x}");
    }

    #[test]
    fn large_blocks_are_advised_as_huge_pages_and_small_ones_are_not() {
        let large = Layout::from_size_align(64 << 20, 8).unwrap();
        let small = Layout::from_size_align(1 << 20, 8).unwrap();
        unsafe {
            let p = HugePageAlloc.alloc_zeroed(large);
            assert!(!p.is_null());
            assert_eq!(p as usize % HUGE_PAGE, 0, "aligned to a huge page");
            assert!(vm_flags(p as usize).contains(" hg"), "{}", vm_flags(p as usize));
            // The bytes are the allocator's: zeroed, writable, readable.
            assert!((0..large.size()).step_by(4096).all(|i| *p.add(i) == 0));
            p.add(12345).write(7);
            assert_eq!(*p.add(12345), 7);
            let q = HugePageAlloc.alloc(small);
            assert!(!vm_flags(q as usize).contains(" hg"), "{}", vm_flags(q as usize));
            HugePageAlloc.dealloc(q, small);
            // Growing keeps the bytes, across the boundary between the two allocators too.
            let p = HugePageAlloc.realloc(p, large, (64 << 20) + 1);
            assert_eq!(*p.add(12345), 7);
            let grown = Layout::from_size_align((64 << 20) + 1, 8).unwrap();
            let p = HugePageAlloc.realloc(p, grown, 100);
            assert_eq!(*p.add(12345 % 100), 0);
            p.add(99).write(9);
            let tiny = Layout::from_size_align(100, 8).unwrap();
            let p = HugePageAlloc.realloc(p, tiny, 3 << 20);
            assert_eq!(*p.add(99), 9);
            assert_eq!(p as usize % HUGE_PAGE, 0);
            HugePageAlloc.dealloc(p, Layout::from_size_align(3 << 20, 8).unwrap());
        }
    }
}

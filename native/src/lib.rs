//! `surety_native`: the latest state tree of a `CommitStore`, kept in Rust memory.
//!
//! A compiled twin of `suretychain/core/smt.py`, which stays the specification: the same 16-ary compressed
//! sparse Merkle tree, the same hashes, the same store encoding of nodes and roots, the same stale list and the
//! same proofs, byte for byte (`tests/core/test_native_tree.py` checks this against `smt.py` on random batches).
//! It is hand-written because no library offers this tree: its shape, domain tags and node encoding are
//! Surety's own (`docs/state-commitment.md`), and a DB written by either implementation must open with the other.
//!
//! Layout in memory: internal nodes live in one arena (`Vec<Node>`, indices as references, a free list for
//! reuse); leaves are inline in their parent, as in the store. A node read from the store starts as a stub
//! (hash and version only) and is filled through the Python callable `fetch(version, path)` on first use,
//! checked against the hash its parent records.
//!
//! A stage changes the tree in place and keeps an undo log (each committed node's version and hash before its
//! first change, and each slot before it changed), so dropping a stage restores the committed tree exactly and
//! committing it costs nothing extra. The log holds single slots, not copies of whole nodes: a node at the
//! bottom of a million-key tree holds ~1.5 KiB of leaves, and copying them was most of a stage's time.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use sha2::{Digest, Sha256};

const LEAF_TAG: &[u8] = b"\x00surety-leaf";
const NODE_TAG: &[u8] = b"\x01surety-node";
const EMPTY_TAG: &[u8] = b"\x02surety-empty";
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
const RADIX: usize = 16;
const HASH_SIZE: usize = 32;
const LEAF_DATA_SIZE: usize = 2 * HASH_SIZE;
const VERSION_SIZE: usize = 8;
const KID_REF_SIZE: usize = HASH_SIZE + VERSION_SIZE;

create_exception!(
    surety_native,
    NodeIntegrityError,
    PyException,
    "A stored node is missing, malformed, or does not hash to what its parent records for it."
);

type Hash = [u8; HASH_SIZE];

#[derive(Clone, Copy, PartialEq, Eq)]
struct Leaf {
    hash: Hash,
    key: Hash,
    value: Hash,
}

/// A slot of an internal node, or a whole (sub)tree: nothing, a leaf, or an internal node of the arena.
#[derive(Clone, Copy)]
enum Child {
    Empty,
    Leaf(Leaf),
    Node(u32),
}

/// An internal node: `kids` holds its non-empty children in nibble order (never `Child::Empty`).
#[derive(Clone, Default)]
struct Node {
    hash: Hash,
    /// The version that wrote it; None while a stage has created or changed it.
    version: Option<u64>,
    /// False for a stub read from the store by hash and version only.
    loaded: bool,
    mask: u16,
    leaf_mask: u16,
    kids: Vec<Child>,
}

/// Writes sorted by key hash; a None value deletes.
struct Batch {
    keys: Vec<Hash>,
    values: Vec<Option<Hash>>,
}

/// One change a stage made to a node that existed before it, as it was before.
enum Undo {
    /// The node's version and hash before its first change.
    Touched { id: u32, version: u64, hash: Hash },
    /// The child in slot `nib` before it changed.
    Slot { id: u32, nib: usize, old: Child },
}

/// What a staged batch changed: enough to undo it, or to commit it.
struct Stage {
    old_root: Child,
    /// The changes to nodes that existed before the stage, oldest first.
    undo: Vec<Undo>,
    /// The stored nodes the staged tree no longer contains, as (version, a key hash under the node, depth):
    /// their path strings are made only for a commit.
    stale: Vec<(u64, Hash, usize)>,
    /// Nodes the stage built (freed if it is dropped).
    created: Vec<u32>,
    /// Nodes the stage removed from the tree (freed once it is committed).
    removed: Vec<u32>,
}

fn sha256(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn make_leaf(key: Hash, value: Hash) -> Leaf {
    Leaf { hash: sha256(&[LEAF_TAG, &key, &value]), key, value }
}

fn nibble(key: &Hash, depth: usize) -> usize {
    let byte = key[depth >> 1];
    (if depth & 1 == 1 { byte & 0x0F } else { byte >> 4 }) as usize
}

/// The store path (lowercase hex of the first `depth` nibbles) of the node on `key`'s path at `depth`.
fn hex_prefix(key: &Hash, depth: usize) -> String {
    (0..depth).map(|d| HEX_DIGITS[nibble(key, d)] as char).collect()
}

/// Index in `kids` of the child in slot `nib` (the non-empty slots below it).
fn kid_index(mask: u16, nib: usize) -> usize {
    (mask & ((1u16 << nib) - 1)).count_ones() as usize
}

fn to_hash(bytes: &[u8]) -> Hash {
    bytes.try_into().expect("a 32-byte slice")
}

fn integrity_error(version: u64, path: &str, what: &str) -> PyErr {
    // Same wording as smt.py (path as a Python repr)
    NodeIntegrityError::new_err(format!("stored node {version}/'{path}' {what}"))
}

/// End of the run of `batch.keys[lo..hi]` sharing the nibble of `keys[lo]` at `depth`.
fn group_end(batch: &Batch, depth: usize, lo: usize, hi: usize) -> usize {
    let own = nibble(&batch.keys[lo], depth);
    let mut end = lo + 1;
    while end < hi && nibble(&batch.keys[end], depth) == own {
        end += 1;
    }
    end
}

impl Node {
    fn child(&self, nib: usize) -> Child {
        if self.mask >> nib & 1 == 0 {
            Child::Empty
        } else {
            self.kids[kid_index(self.mask, nib)]
        }
    }

    fn set_child(&mut self, nib: usize, new: Child) {
        let bit = 1u16 << nib;
        let at = kid_index(self.mask, nib);
        let present = self.mask & bit != 0;
        match new {
            Child::Empty => {
                if present {
                    self.kids.remove(at);
                }
                self.mask &= !bit;
            }
            _ if present => self.kids[at] = new,
            _ => {
                self.kids.insert(at, new);
                self.mask |= bit;
            }
        }
        if matches!(new, Child::Leaf(_)) {
            self.leaf_mask |= bit;
        } else {
            self.leaf_mask &= !bit;
        }
    }
}

/// The latest tree of a store; see the module documentation.
#[pyclass(module = "surety_native")]
struct Tree {
    nodes: Vec<Node>,
    free: Vec<u32>,
    root: Child,
    fetch: Py<PyAny>,
    stage: Option<Stage>,
}

impl Tree {
    /// Put `node` in the arena (in a freed slot if there is one); return its index.
    fn alloc(&mut self, node: Node) -> u32 {
        match self.free.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                id
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    /// Free the slot of a node no tree refers to any more (dropping its children's memory now).
    fn release(&mut self, id: u32) {
        self.nodes[id as usize] = Node::default();
        self.free.push(id);
    }

    /// A stored node known by hash and version only, filled by `ensure_loaded` on first use.
    fn make_stub(&mut self, hash: Hash, version: u64) -> u32 {
        self.alloc(Node { hash, version: Some(version), ..Node::default() })
    }

    /// The hash a slot (or a whole tree) commits to: the empty-tree hash for nothing, else its node's or leaf's.
    fn hash_of(&self, child: &Child) -> Hash {
        match child {
            Child::Empty => sha256(&[EMPTY_TAG]),
            Child::Leaf(leaf) => leaf.hash,
            Child::Node(id) => self.nodes[*id as usize].hash,
        }
    }

    /// Recompute the hash of the node `id` from its children's hashes.
    fn rehash(&mut self, id: u32) {
        // One buffer and one hash call: feeding the hasher 32 bytes at a time cost as much as the hashing
        let node = &self.nodes[id as usize];
        let mut body = [0u8; NODE_TAG.len() + 2 + RADIX * HASH_SIZE];
        body[..NODE_TAG.len()].copy_from_slice(NODE_TAG);
        body[NODE_TAG.len()..NODE_TAG.len() + 2].copy_from_slice(&node.mask.to_be_bytes());
        let mut end = NODE_TAG.len() + 2;
        for kid in &node.kids {
            body[end..end + HASH_SIZE].copy_from_slice(&self.hash_of(kid));
            end += HASH_SIZE;
        }
        self.nodes[id as usize].hash = Sha256::digest(&body[..end]).into();
    }

    /// Fill the stub `id` (on `key`'s path at `depth`) from the store, if it is still a stub.
    fn ensure_loaded(&mut self, py: Python<'_>, id: u32, key: &Hash, depth: usize) -> PyResult<()> {
        let node = &self.nodes[id as usize];
        if node.loaded {
            return Ok(());
        }
        let version = node.version.expect("a stub is a committed node");
        let path = hex_prefix(key, depth);
        let data = self.fetch.bind(py).call1((version, path.as_str()))?;
        if data.is_none() {
            return Err(integrity_error(version, &path, "is missing or truncated"));
        }
        let bytes = data.cast::<PyBytes>()?.as_bytes();
        self.decode_into(id, bytes, version, &path)
    }

    /// Decode a stored node into the stub `id`, checking it hashes to what its parent recorded.
    fn decode_into(&mut self, id: u32, data: &[u8], version: u64, path: &str) -> PyResult<()> {
        if data.len() < 4 {
            return Err(integrity_error(version, path, "is missing or truncated"));
        }
        let mismatch = || integrity_error(version, path, "does not match its hash");
        let mask = u16::from_be_bytes([data[0], data[1]]);
        let leaf_mask = u16::from_be_bytes([data[2], data[3]]);
        let mut hasher = Sha256::new();
        hasher.update(NODE_TAG);
        hasher.update(mask.to_be_bytes());
        // Stubs are allocated only once the whole node checks out
        let mut decoded: Vec<Result<Leaf, (Hash, u64)>> = Vec::with_capacity(mask.count_ones() as usize);
        let mut pos = 4;
        for nib in 0..RADIX {
            if mask >> nib & 1 == 0 {
                continue;
            }
            if leaf_mask >> nib & 1 == 1 {
                let part = data.get(pos..pos + LEAF_DATA_SIZE).ok_or_else(mismatch)?;
                let leaf = make_leaf(to_hash(&part[..HASH_SIZE]), to_hash(&part[HASH_SIZE..]));
                hasher.update(leaf.hash);
                decoded.push(Ok(leaf));
                pos += LEAF_DATA_SIZE;
            } else {
                let part = data.get(pos..pos + KID_REF_SIZE).ok_or_else(mismatch)?;
                let kid_hash = to_hash(&part[..HASH_SIZE]);
                let kid_version = u64::from_be_bytes(part[HASH_SIZE..].try_into().expect("8 bytes"));
                hasher.update(kid_hash);
                decoded.push(Err((kid_hash, kid_version)));
                pos += KID_REF_SIZE;
            }
        }
        let hash: Hash = hasher.finalize().into();
        if pos != data.len() || leaf_mask & !mask != 0 || hash != self.nodes[id as usize].hash {
            return Err(mismatch());
        }
        let kids = decoded
            .into_iter()
            .map(|kid| match kid {
                Ok(leaf) => Child::Leaf(leaf),
                Err((kid_hash, kid_version)) => Child::Node(self.make_stub(kid_hash, kid_version)),
            })
            .collect();
        let node = &mut self.nodes[id as usize];
        node.mask = mask;
        node.leaf_mask = leaf_mask;
        node.kids = kids;
        node.loaded = true;
        Ok(())
    }

    /// Before a stage first changes the committed node `id` (on `key`'s path at `depth`): log it, mark it stale.
    fn touch(&mut self, stage: &mut Stage, id: u32, key: &Hash, depth: usize) {
        let node = &mut self.nodes[id as usize];
        if let Some(version) = node.version {
            node.version = None;
            stage.undo.push(Undo::Touched { id, version, hash: node.hash });
            stage.stale.push((version, *key, depth));
        }
    }

    /// Put `new` in slot `nib` of the node `id` (one that existed before the stage), logging the old child.
    fn change_slot(&mut self, stage: &mut Stage, id: u32, nib: usize, new: Child) {
        let node = &mut self.nodes[id as usize];
        stage.undo.push(Undo::Slot { id, nib, old: node.child(nib) });
        node.set_child(nib, new);
    }

    fn make_internal(&mut self, stage: &mut Stage, children: &[Child; RADIX]) -> Child {
        let mut node = Node { loaded: true, ..Node::default() };
        for (nib, child) in children.iter().enumerate() {
            if !matches!(child, Child::Empty) {
                node.set_child(nib, *child);
            }
        }
        let id = self.alloc(node);
        self.rehash(id);
        stage.created.push(id);
        Child::Node(id)
    }

    /// A new subtree at `depth` holding the live writes `batch[lo..hi]` plus the leaf `extra`, if any.
    fn build_subtree(
        &mut self, stage: &mut Stage, batch: &Batch, depth: usize, lo: usize, hi: usize, extra: Option<Leaf>,
    ) -> Child {
        let mut live = (lo..hi).filter(|&i| batch.values[i].is_some());
        let first = live.next();
        if first.is_none() || (extra.is_none() && live.next().is_none()) {
            return match (first, extra) {
                (Some(i), _) => Child::Leaf(make_leaf(batch.keys[i], batch.values[i].expect("live"))),
                (None, Some(leaf)) => Child::Leaf(leaf),
                (None, None) => Child::Empty,
            };
        }
        let mut children = [Child::Empty; RADIX];
        if let Some(leaf) = extra {
            children[nibble(&leaf.key, depth)] = Child::Leaf(leaf);
        }
        let mut i = lo;
        while i < hi {
            let j = group_end(batch, depth, i, hi);
            let nib = nibble(&batch.keys[i], depth);
            let extra_here = match children[nib] {
                Child::Leaf(leaf) => Some(leaf),
                _ => None,
            };
            children[nib] = self.build_subtree(stage, batch, depth + 1, i, j, extra_here);
            i = j;
        }
        self.make_internal(stage, &children)
    }

    /// The subtree at `depth` that held only `leaf`, after the writes `batch[lo..hi]`.
    fn merge_into_leaf(
        &mut self, stage: &mut Stage, batch: &Batch, depth: usize, lo: usize, hi: usize, leaf: Leaf,
    ) -> Child {
        let rewritten = batch.keys[lo..hi].binary_search(&leaf.key).is_ok();
        self.build_subtree(stage, batch, depth, lo, hi, if rewritten { None } else { Some(leaf) })
    }

    /// Apply `batch[lo..hi]` (all under the node `id` at `depth`); return what the node became and whether it
    /// changed. The batch is sorted, so the writes under each child are one run: each touched node is visited
    /// once and rehashed once.
    #[allow(clippy::too_many_arguments)] // the recursion's whole state: a node, its depth, its run of the batch
    fn apply_to_node(
        &mut self, py: Python<'_>, stage: &mut Stage, id: u32, depth: usize, batch: &Batch, lo: usize, hi: usize,
    ) -> PyResult<(Child, bool)> {
        self.ensure_loaded(py, id, &batch.keys[lo], depth)?;
        let mut changed = false;
        let mut i = lo;
        while i < hi {
            let j = group_end(batch, depth, i, hi);
            let nib = nibble(&batch.keys[i], depth);
            let (new, differs) = match self.nodes[id as usize].child(nib) {
                Child::Empty => {
                    let new = self.build_subtree(stage, batch, depth + 1, i, j, None);
                    (new, !matches!(new, Child::Empty))
                }
                Child::Leaf(leaf) => {
                    let new = self.merge_into_leaf(stage, batch, depth + 1, i, j, leaf);
                    (new, !matches!(new, Child::Leaf(same) if same == leaf))
                }
                Child::Node(kid) => self.apply_to_node(py, stage, kid, depth + 1, batch, i, j)?,
            };
            if differs {
                self.touch(stage, id, &batch.keys[i], depth);
                self.change_slot(stage, id, nib, new);
                changed = true;
            }
            i = j;
        }
        if !changed {
            return Ok((Child::Node(id), false));
        }
        Ok((self.collapse(stage, id), true))
    }

    /// What the changed node `id` becomes: None or its lone leaf if that is all it holds, else itself rehashed.
    fn collapse(&mut self, stage: &mut Stage, id: u32) -> Child {
        let node = &self.nodes[id as usize];
        if node.mask == 0 {
            stage.removed.push(id);
            return Child::Empty;
        }
        if node.mask.count_ones() == 1 {
            if let Child::Leaf(leaf) = node.kids[0] {
                stage.removed.push(id);
                return Child::Leaf(leaf);
            }
        }
        self.rehash(id);
        Child::Node(id)
    }

    /// The root after `batch`, applied to the committed tree in place (logged in `stage`).
    fn apply_batch(&mut self, py: Python<'_>, stage: &mut Stage, batch: &Batch) -> PyResult<Child> {
        let all = batch.keys.len();
        if all == 0 {
            return Ok(self.root);
        }
        Ok(match self.root {
            Child::Empty => self.build_subtree(stage, batch, 0, 0, all, None),
            Child::Leaf(leaf) => self.merge_into_leaf(stage, batch, 0, 0, all, leaf),
            Child::Node(id) => self.apply_to_node(py, stage, id, 0, batch, 0, all)?.0,
        })
    }

    /// Restore the tree as it was before `stage`, newest change first, and free what it built.
    fn undo(&mut self, stage: Stage) {
        for change in stage.undo.into_iter().rev() {
            match change {
                Undo::Touched { id, version, hash } => {
                    let node = &mut self.nodes[id as usize];
                    node.version = Some(version);
                    node.hash = hash;
                }
                Undo::Slot { id, nib, old } => self.nodes[id as usize].set_child(nib, old),
            }
        }
        for id in stage.created {
            self.release(id);
        }
        self.root = stage.old_root;
    }

    /// The staged (version None) internal nodes with their paths, parents first.
    fn list_staged_nodes(&self) -> Vec<(String, u32)> {
        let mut staged = Vec::new();
        let mut pending = match self.root {
            Child::Node(id) if self.nodes[id as usize].version.is_none() => vec![(String::new(), id)],
            _ => Vec::new(),
        };
        while let Some((path, id)) = pending.pop() {
            let node = &self.nodes[id as usize];
            let mut slots = node.mask;
            for kid in &node.kids {
                let nib = slots.trailing_zeros() as usize;
                slots &= slots - 1;
                if let Child::Node(kid_id) = kid {
                    if self.nodes[*kid_id as usize].version.is_none() {
                        let mut kid_path = path.clone();
                        kid_path.push(HEX_DIGITS[nib] as char);
                        pending.push((kid_path, *kid_id));
                    }
                }
            }
            staged.push((path, id));
        }
        staged
    }

    /// Store encoding of a loaded node (as `smt.encode_internal`); staged children are referenced at `version`.
    fn encode_internal(&self, id: u32, version: u64) -> Vec<u8> {
        let node = &self.nodes[id as usize];
        let mut data = Vec::with_capacity(4 + node.kids.len() * LEAF_DATA_SIZE);
        data.extend_from_slice(&node.mask.to_be_bytes());
        data.extend_from_slice(&node.leaf_mask.to_be_bytes());
        for kid in &node.kids {
            match kid {
                Child::Leaf(leaf) => {
                    data.extend_from_slice(&leaf.key);
                    data.extend_from_slice(&leaf.value);
                }
                Child::Node(kid_id) => {
                    let kid = &self.nodes[*kid_id as usize];
                    data.extend_from_slice(&kid.hash);
                    data.extend_from_slice(&kid.version.unwrap_or(version).to_be_bytes());
                }
                Child::Empty => unreachable!("kids are never empty"),
            }
        }
        data
    }

    /// Reference to the current root as `smt.encode_root`.
    fn encode_root(&self, version: u64) -> Vec<u8> {
        match self.root {
            Child::Empty => Vec::new(),
            Child::Leaf(leaf) => [b"L".as_slice(), &leaf.key, &leaf.value].concat(),
            Child::Node(id) => {
                let written = self.nodes[id as usize].version.unwrap_or(version);
                [b"N".as_slice(), &written.to_be_bytes()].concat()
            }
        }
    }
}

/// The batch from its Python form, checked (sorted distinct 32-byte key hashes, 32-byte value hashes).
fn extract_batch(key_hashes: &[u8], value_hashes: &Bound<'_, PyList>) -> PyResult<Batch> {
    if key_hashes.len() != value_hashes.len() * HASH_SIZE {
        return Err(PyValueError::new_err("key_hashes must be 32 bytes per value hash"));
    }
    let keys: Vec<Hash> = key_hashes.chunks_exact(HASH_SIZE).map(to_hash).collect();
    if keys.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(PyValueError::new_err("key hashes must be sorted and distinct"));
    }
    let mut values = Vec::with_capacity(keys.len());
    for item in value_hashes.iter() {
        if item.is_none() {
            values.push(None);
            continue;
        }
        let bytes = item.cast::<PyBytes>()?.as_bytes();
        if bytes.len() != HASH_SIZE {
            return Err(PyValueError::new_err("value hashes must be 32 bytes"));
        }
        values.push(Some(to_hash(bytes)));
    }
    Ok(Batch { keys, values })
}

/// New nodes `(path, data)`, stale nodes `(version, path)`, root hash, root reference.
type Plan<'py> = (Vec<(String, Bound<'py, PyBytes>)>, Vec<(u64, String)>, Bound<'py, PyBytes>, Bound<'py, PyBytes>);

/// Leaf `(leaf_hash, key_hash, value_hash)` or None, masks, siblings, other key hash, other value hash.
type Proved<'py> = (Option<(Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>)>, Vec<u16>,
    Vec<Bound<'py, PyBytes>>, Bound<'py, PyBytes>, Bound<'py, PyBytes>);

#[pymethods]
impl Tree {
    /// The tree of a committed version from its root hash and root reference (`smt.encode_root`); internal
    /// nodes are read through `fetch(version, path) -> bytes | None` when first needed.
    #[new]
    fn new(root_hash: &[u8], root_ref: &[u8], fetch: Py<PyAny>) -> PyResult<Self> {
        let mut tree = Tree { nodes: Vec::new(), free: Vec::new(), root: Child::Empty, fetch, stage: None };
        tree.root = match (root_ref.first(), root_ref.len()) {
            (None, _) => Child::Empty,
            (Some(b'L'), len) if len == 1 + LEAF_DATA_SIZE => {
                Child::Leaf(make_leaf(to_hash(&root_ref[1..33]), to_hash(&root_ref[33..])))
            }
            (Some(b'N'), len) if len == 1 + VERSION_SIZE && root_hash.len() == HASH_SIZE => {
                let version = u64::from_be_bytes(root_ref[1..].try_into().expect("8 bytes"));
                Child::Node(tree.make_stub(to_hash(root_hash), version))
            }
            _ => return Err(NodeIntegrityError::new_err("malformed root reference")),
        };
        Ok(tree)
    }

    /// The root hash of the tree (the staged one while a batch is staged).
    #[getter]
    fn root_hash<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.hash_of(&self.root))
    }

    /// Whether a batch is staged.
    #[getter]
    fn staged(&self) -> bool {
        self.stage.is_some()
    }

    /// Stage the batch (key hashes concatenated in sorted order, one value hash or None per key) on the
    /// committed tree, replacing any stage; return the new root hash. On error the tree is left as committed.
    fn stage<'py>(
        &mut self, py: Python<'py>, key_hashes: &[u8], value_hashes: &Bound<'py, PyList>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let batch = extract_batch(key_hashes, value_hashes)?;
        self.drop_stage();
        let mut stage = Stage {
            old_root: self.root, undo: Vec::new(), stale: Vec::new(), created: Vec::new(), removed: Vec::new(),
        };
        match self.apply_batch(py, &mut stage, &batch) {
            Ok(root) => {
                self.root = root;
                self.stage = Some(stage);
                Ok(self.root_hash(py))
            }
            Err(err) => {
                self.undo(stage);
                Err(err)
            }
        }
    }

    /// Undo the staged batch, if any, restoring the committed tree exactly.
    fn drop_stage(&mut self) {
        if let Some(stage) = self.stage.take() {
            self.undo(stage);
        }
    }

    /// What committing the stage (an empty one if none) as `version` writes: new nodes `[(path, data)]`,
    /// stale nodes `[(version, path)]`, the root hash and the root reference. Changes nothing.
    fn commit_plan<'py>(
        &self, py: Python<'py>, version: u64,
    ) -> Plan<'py> {
        let nodes = self
            .list_staged_nodes()
            .into_iter()
            .map(|(path, id)| (path, PyBytes::new(py, &self.encode_internal(id, version))))
            .collect();
        let stale = self.stage.as_ref().map_or_else(Vec::new, |stage| {
            stage.stale.iter().map(|(old, key, depth)| (*old, hex_prefix(key, *depth))).collect()
        });
        (nodes, stale, self.root_hash(py), PyBytes::new(py, &self.encode_root(version)))
    }

    /// The stage is durable as `version`: its nodes now belong to that version.
    fn mark_committed(&mut self, version: u64) {
        for (_, id) in self.list_staged_nodes() {
            self.nodes[id as usize].version = Some(version);
        }
        if let Some(stage) = self.stage.take() {
            for id in stage.removed {
                self.release(id);
            }
        }
    }

    /// The leaf `(leaf_hash, key_hash, value_hash)` of `key_hash` (or None) and its proof as
    /// `(masks, siblings, other_key_hash, other_value_hash)`, as `smt.compute_proof`, on the committed tree.
    fn prove<'py>(&mut self, py: Python<'py>, key_hash: &[u8]) -> PyResult<Proved<'py>> {
        if self.stage.is_some() {
            return Err(PyRuntimeError::new_err("the tree has a staged batch: prove from the store instead"));
        }
        if key_hash.len() != HASH_SIZE {
            return Err(PyValueError::new_err("key_hash must be 32 bytes"));
        }
        let key = to_hash(key_hash);
        let mut masks = Vec::new();
        let mut siblings = Vec::new();
        let mut depth = 0;
        let mut current = self.root;
        while let Child::Node(id) = current {
            self.ensure_loaded(py, id, &key, depth)?;
            let own = nibble(&key, depth);
            let node = &self.nodes[id as usize];
            let mut slots = node.mask;
            for kid in &node.kids {
                let nib = slots.trailing_zeros() as usize;
                slots &= slots - 1;
                if nib != own {
                    siblings.push(PyBytes::new(py, &self.hash_of(kid)));
                }
            }
            masks.push(node.mask & !(1u16 << own));
            current = node.child(own);
            depth += 1;
        }
        let empty = PyBytes::new(py, b"");
        Ok(match current {
            Child::Leaf(leaf) if leaf.key == key => {
                let found = (PyBytes::new(py, &leaf.hash), PyBytes::new(py, &leaf.key), PyBytes::new(py, &leaf.value));
                (Some(found), masks, siblings, empty.clone(), empty)
            }
            Child::Leaf(other) => (None, masks, siblings, PyBytes::new(py, &other.key), PyBytes::new(py, &other.value)),
            _ => (None, masks, siblings, empty.clone(), empty),
        })
    }
}

#[pymodule]
fn surety_native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Tree>()?;
    module.add("NodeIntegrityError", module.py().get_type::<NodeIntegrityError>())?;
    Ok(())
}

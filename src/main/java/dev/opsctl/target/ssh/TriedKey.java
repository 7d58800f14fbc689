package dev.opsctl.target.ssh;

/** A publickey method of {@link OfferedKeys}, with its entry in the list of keys tried that a failure shows. */
interface TriedKey {
    /** The index of this key's entry in the list. */
    int entry();
}

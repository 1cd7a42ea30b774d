package dev.reloadly.operator.crypto;

import java.util.Objects;

/** Owns the canonical associated data that binds an envelope-encrypted value to where it is stored. */
public final class StoreAad {

    static final String DOMAIN_TAG = "reloadly-store-v1";

    private StoreAad() {
    }

    /**
     * Associated data for one credential version of one credential resource: the tag
     * {@code "reloadly-store-v1"}, then namespace, name, uid, versionFingerprint and an empty part,
     * each as {@code u16 len || UTF-8}. Binding the uid means a deleted and re-created resource of the
     * same name cannot read its predecessor's store.
     */
    public static byte[] of(String namespace, String name, String uid, String versionFingerprint) {
        return of(namespace, name, uid, versionFingerprint, "");
    }

    /**
     * As {@link #of(String, String, String, String)}, for a version stored as several separately
     * encrypted parts (e.g. {@code "clientId"}, {@code "clientSecret"}), so parts cannot be swapped.
     */
    public static byte[] of(String namespace, String name, String uid, String versionFingerprint, String part) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(versionFingerprint, "versionFingerprint");
        Objects.requireNonNull(part, "part");
        if (namespace.isEmpty() || name.isEmpty() || uid.isEmpty() || versionFingerprint.isEmpty()) {
            throw new IllegalArgumentException("namespace, name, uid and versionFingerprint must not be empty");
        }
        return CanonicalFields.encode(DOMAIN_TAG, namespace, name, uid, versionFingerprint, part);
    }
}

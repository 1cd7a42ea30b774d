package dev.reloadly.operator.crypto;

import java.util.Objects;

/**
 * Where a sealed value may be opened: one field of one credential in one namespace. Its
 * {@link #associatedData()} is bound into every sealed value, so a value copied to any other
 * namespace, credential or field fails to open.
 *
 * @param namespace      the Kubernetes namespace of the credential resource
 * @param credentialName the name of the credential resource
 * @param field          {@value #CLIENT_ID} or {@value #CLIENT_SECRET}
 */
public record SealingScope(String namespace, String credentialName, String field) {

    public static final String CLIENT_ID = "clientId";
    public static final String CLIENT_SECRET = "clientSecret";

    /** Domain tag; a new tag (not a new field) is how a future scope layout would be told apart. */
    static final String DOMAIN_TAG = "reloadly-sealed-v1";

    // DNS-1123 subdomain names are at most 253 characters; anything longer is not a Kubernetes name.
    private static final int MAX_NAME_LENGTH = 253;

    public SealingScope {
        requireName(namespace, "namespace");
        requireName(credentialName, "credentialName");
        Objects.requireNonNull(field, "field");
        if (!field.equals(CLIENT_ID) && !field.equals(CLIENT_SECRET)) {
            throw new IllegalArgumentException("field must be \"" + CLIENT_ID + "\" or \"" + CLIENT_SECRET + "\"");
        }
    }

    /** The scope of a credential's client id. */
    public static SealingScope clientId(String namespace, String credentialName) {
        return new SealingScope(namespace, credentialName, CLIENT_ID);
    }

    /** The scope of a credential's client secret. */
    public static SealingScope clientSecret(String namespace, String credentialName) {
        return new SealingScope(namespace, credentialName, CLIENT_SECRET);
    }

    /**
     * The canonical associated data: {@code u16 len || UTF-8} for the tag
     * {@code "reloadly-sealed-v1"}, then namespace, credentialName and field.
     */
    public byte[] associatedData() {
        return CanonicalFields.encode(DOMAIN_TAG, namespace, credentialName, field);
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
    }
}

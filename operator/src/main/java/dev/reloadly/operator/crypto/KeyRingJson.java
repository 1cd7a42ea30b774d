package dev.reloadly.operator.crypto;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.EMPTY;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.MALFORMED;
import static dev.reloadly.operator.crypto.KeyRingFormatException.Reason.UNSUPPORTED_FORMAT;

/**
 * Owns the strict JSON shape shared by serialized key rings:
 * {@code {"format": "...", "keys": [{...}, ...]}} with standard padded base64 for bytes and
 * ISO-8601 instants. Parsing refuses unknown or duplicate fields and trailing content. Public for
 * the KMS-wrapped ring of {@code crypto.kms}, which keeps the same shape.
 */
public final class KeyRingJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final Set<String> DOCUMENT_FIELDS = Set.of("format", "keys");

    /** Writes one key entry's fields. */
    @FunctionalInterface
    public interface EntryWriter<T> {
        void write(JsonGenerator json, T entry) throws IOException;
    }

    private KeyRingJson() {
    }

    public static <T> byte[] write(String format, List<T> entries, EntryWriter<T> writer) {
        WipingOutputStream out = new WipingOutputStream();
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("format", format);
            json.writeArrayFieldStart("keys");
            for (T entry : entries) {
                json.writeStartObject();
                writer.write(json, entry);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a key ring to memory failed", e);
        }
        byte[] result = out.toByteArray();
        out.wipe();
        return result;
    }

    public static void writeBase64(JsonGenerator json, String field, byte[] value) throws IOException {
        json.writeStringField(field, Base64.getEncoder().encodeToString(value));
    }

    /**
     * Parses the document and returns its key entries, each checked to hold only allowed fields.
     * Jackson's own messages can quote the input, so they are never passed on, not even as cause,
     * and no message quotes anything from the document.
     */
    public static List<JsonNode> readEntries(byte[] bytes, String expectedFormat, Set<String> requiredFields,
                                      Set<String> optionalFields) {
        if (bytes == null || bytes.length == 0) {
            throw new KeyRingFormatException(MALFORMED, "key ring document is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new KeyRingFormatException(MALFORMED, "key ring document is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new KeyRingFormatException(MALFORMED, "key ring document could not be read");
        }
        if (root == null || !root.isObject()) {
            throw new KeyRingFormatException(MALFORMED, "key ring document is not a JSON object");
        }
        requireOnly(root, DOCUMENT_FIELDS, Set.of(), "key ring document");
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual()) {
            throw new KeyRingFormatException(MALFORMED, "key ring document has no \"format\" string");
        }
        if (!format.textValue().equals(expectedFormat)) {
            throw new KeyRingFormatException(UNSUPPORTED_FORMAT,
                    "key ring \"format\" is not the expected \"" + expectedFormat + "\"");
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new KeyRingFormatException(MALFORMED, "key ring document has no \"keys\" array");
        }
        if (keys.isEmpty()) {
            throw new KeyRingFormatException(EMPTY, "key ring holds no keys");
        }
        List<JsonNode> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode entry = keys.get(i);
            if (!entry.isObject()) {
                throw new KeyRingFormatException(MALFORMED, "keys[" + i + "] is not a JSON object");
            }
            requireOnly(entry, requiredFields, optionalFields, "keys[" + i + "]");
            entries.add(entry);
        }
        return entries;
    }

    /**
     * The {@code format} of a key ring document, or null when the bytes are not a JSON object
     * with a string {@code format}: a cheap look before choosing a parser.
     */
    public static String format(byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            JsonNode format = root == null ? null : root.get("format");
            return format != null && format.isTextual() ? format.textValue() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public static String text(JsonNode entry, String field, String where) {
        JsonNode node = entry.get(field);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new KeyRingFormatException(MALFORMED, where + "." + field + " must be a non-empty string");
        }
        return node.textValue();
    }

    public static byte[] base64(JsonNode entry, String field, String where) {
        String text = text(entry, field, where);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new KeyRingFormatException(MALFORMED, where + "." + field + " is not valid base64");
        }
    }

    public static Instant instant(JsonNode entry, String field, String where) {
        String text = text(entry, field, where);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new KeyRingFormatException(MALFORMED, where + "." + field + " is not an ISO-8601 instant");
        }
    }

    private static void requireOnly(JsonNode object, Set<String> required, Set<String> optional, String where) {
        Set<String> seen = new HashSet<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!required.contains(name) && !optional.contains(name)) {
                throw new KeyRingFormatException(MALFORMED, where + " has a field other than " + allowed(required, optional));
            }
            seen.add(name);
        }
        for (String name : required) {
            if (!seen.contains(name)) {
                throw new KeyRingFormatException(MALFORMED, where + " is missing field \"" + name + "\"");
            }
        }
    }

    // Nothing read from the document is echoed, not even a field name: a corrupted document can
    // hold key material anywhere. The message lists what is allowed instead.
    private static String allowed(Set<String> required, Set<String> optional) {
        return new TreeSet<>(required) + (optional.isEmpty() ? "" : " and optionally " + new TreeSet<>(optional));
    }

    /** A byte sink whose buffer can be zeroed, since it briefly holds base64 private keys. */
    private static final class WipingOutputStream extends ByteArrayOutputStream {
        void wipe() {
            Arrays.fill(buf, (byte) 0);
        }
    }
}

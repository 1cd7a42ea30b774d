package dev.reloadly.operator.crypto;

import java.util.Arrays;

/** Owns bounds-checked sequential reads over a binary layout being parsed. */
final class ByteCursor {

    /** Thrown when a read runs past the end; callers turn it into their own MALFORMED reason. */
    static final class TruncatedException extends Exception {
        private static final long serialVersionUID = 1L;

        TruncatedException() {
            super("input ends before the layout does", null, false, false);
        }
    }

    private final byte[] data;
    private int position;

    ByteCursor(byte[] data) {
        this.data = data;
    }

    int position() {
        return position;
    }

    int remaining() {
        return data.length - position;
    }

    int u8() throws TruncatedException {
        require(1);
        return data[position++] & 0xFF;
    }

    int u16() throws TruncatedException {
        require(2);
        int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    byte[] take(int length) throws TruncatedException {
        require(length);
        byte[] out = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return out;
    }

    byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, position, data.length);
        position = data.length;
        return out;
    }

    private void require(int length) throws TruncatedException {
        if (length < 0 || remaining() < length) {
            throw new TruncatedException();
        }
    }
}

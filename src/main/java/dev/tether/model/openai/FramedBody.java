package dev.tether.model.openai;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body cut out of the connection's stream: by length, by chunked encoding, or up to the
 * end of the connection. {@link #finished} says the body was read to its end, so the connection
 * holds nothing more of this response and may carry the next one.
 *
 * <p>Threading: the reading thread only.
 */
abstract sealed class FramedBody extends InputStream {
    /** A chunk-size line longer than this is not HTTP. */
    static final int MAX_CHUNK_LINE = 4096;

    protected final InputStream in;
    protected boolean finished;

    FramedBody(InputStream in) {
        this.in = in;
    }

    boolean finished() {
        return finished;
    }

    /** Reads and discards the rest of the body, at most {@code maxBytes}; true if it reached the end. */
    boolean drain(int maxBytes) throws IOException {
        byte[] scratch = new byte[1024];
        int total = 0;
        while (!finished && total < maxBytes) {
            int n = read(scratch, 0, scratch.length);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return finished;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** Exactly {@code length} bytes. */
    static final class Length extends FramedBody {
        private long left;

        Length(InputStream in, long length) {
            super(in);
            this.left = length;
            this.finished = length == 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the provider closed the connection " + left + " bytes before the body's end");
            }
            left -= n;
            finished = left == 0;
            return n;
        }
    }

    /** {@code Transfer-Encoding: chunked}: size lines in hex, data, and a last chunk of size 0. */
    static final class Chunked extends FramedBody {
        private long left; // of the current chunk; 0 between chunks

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished) {
                return -1;
            }
            if (left == 0) {
                left = nextChunkSize();
                if (left == 0) {
                    skipTrailers();
                    finished = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the provider closed the connection in the middle of a chunk");
            }
            left -= n;
            if (left == 0) {
                expectLineEnd();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return finished ? 0 : (int) Math.min(in.available(), left);
        }

        /** The next size line, parsed as it is read (one of these precedes every streamed event). */
        private long nextChunkSize() throws IOException {
            long size = 0;
            int digits = 0;
            int length = 0;
            boolean extension = false;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the provider closed the connection inside the chunked body");
                }
                if (++length > MAX_CHUNK_LINE) {
                    throw new IOException("the provider sent a chunk line longer than " + MAX_CHUNK_LINE + " bytes");
                }
                if (c == '\n') {
                    break;
                }
                if (extension || c == '\r' || c == ' ' || c == '\t') {
                    continue;
                }
                if (c == ';') {
                    extension = true;
                    continue;
                }
                int digit = Character.digit(c, 16);
                if (digit < 0 || digits == 15) {
                    throw new IOException("the provider sent a bad chunk size (byte " + c + ")");
                }
                size = size * 16 + digit;
                digits++;
            }
            if (digits == 0) {
                throw new IOException("the provider sent a bad chunk size (no digits)");
            }
            return size;
        }

        private void skipTrailers() throws IOException {
            while (!line().isEmpty()) {
                // trailer fields carry nothing a chat stream needs
            }
        }

        private void expectLineEnd() throws IOException {
            int c = in.read();
            if (c == '\r') {
                c = in.read();
            }
            if (c != '\n') {
                throw new IOException("the provider's chunk was longer than its size said");
            }
        }

        /** One CRLF-terminated line (a bare LF is tolerated), without its end. */
        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(16);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the provider closed the connection inside the chunked body");
                }
                if (c == '\n') {
                    int len = sb.length();
                    return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
                }
                if (sb.length() >= MAX_CHUNK_LINE) {
                    throw new IOException("the provider sent a chunk line longer than " + MAX_CHUNK_LINE + " bytes");
                }
                sb.append((char) c);
            }
        }
    }

    /** No length and not chunked: the body ends when the provider closes the connection. */
    static final class UntilClose extends FramedBody {
        UntilClose(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished) {
                return -1;
            }
            int n = in.read(b, off, len);
            finished = n < 0;
            return n;
        }
    }
}

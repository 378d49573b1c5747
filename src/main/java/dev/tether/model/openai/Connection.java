package dev.tether.model.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One socket with its buffered input; reused across exchanges while the provider keeps it open. */
final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    volatile long idleSince;

    Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new SocketInput(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    /**
     * A read buffer without locks: a connection is read by one thread at a time, and the chunked
     * framing reads byte by byte ({@code BufferedInputStream} takes a lock on every call).
     */
    static final class SocketInput extends InputStream {
        private final InputStream socket;
        private final byte[] buffer = new byte[8192];
        private int position;
        private int limit;

        SocketInput(InputStream socket) {
            this.socket = socket;
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    return socket.read(b, off, len); // large reads skip the copy
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return limit - position + socket.available();
        }

        private boolean fill() throws IOException {
            int n = socket.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }
    }
}

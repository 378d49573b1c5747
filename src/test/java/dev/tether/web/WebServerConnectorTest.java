package dev.tether.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The HTTP connector's settings that the benchmark found (docs/performance.md, changes 4 and 23). */
class WebServerConnectorTest {
    final ServerConnector connector = WebServer.connector(new Server(), new HttpConfiguration(), "127.0.0.1", 0);

    @Test
    void acceptQueueAndIdleTimeoutAreSet() {
        assertThat(connector.getAcceptQueueSize()).isEqualTo(WebServer.ACCEPT_QUEUE);
        assertThat(connector.getIdleTimeout()).isEqualTo(WebServer.IDLE_TIMEOUT_MS);
        assertThat(connector.getHost()).isEqualTo("127.0.0.1");
    }

    /**
     * Jetty takes a 12-byte buffer for the chunk header of every SSE write, while every open stream
     * holds a 1 KiB aggregation buffer: in one bucket, each take searched past thousands of busy ones.
     */
    @Test
    void chunkHeadersAndStreamBuffersComeFromDifferentBuckets() {
        ArrayByteBufferPool pool = (ArrayByteBufferPool) connector.getByteBufferPool();
        assertThat(pool.poolFor(12, true)).isNotNull().isNotSameAs(pool.poolFor(1024, true));
    }

    @Test
    void aStreamsSmallBufferTakesWhatItAsksFor() {
        ArrayByteBufferPool pool = (ArrayByteBufferPool) connector.getByteBufferPool();
        RetainableByteBuffer b = pool.acquire(1024, true);
        try {
            assertThat(b.capacity()).isEqualTo(1024);
        } finally {
            b.release();
        }
    }
}

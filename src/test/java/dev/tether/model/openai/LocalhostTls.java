package dev.tether.model.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate for {@code localhost} made by the JDK's keytool in {@code dir} (once per dir), a
 * TLS server socket that presents it, and a client TLS context that trusts it and nothing else.
 */
final class LocalhostTls {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path keys;
    private final Path trust;

    LocalhostTls(Path dir) throws Exception {
        keys = dir.resolve("server.p12");
        trust = dir.resolve("trust.p12");
        if (!Files.exists(trust)) {
            Path cert = dir.resolve("server.cer");
            keytool("-genkeypair", "-alias", "provider", "-keyalg", "EC", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore", keys.toString(), "-storepass", "changeit");
            keytool("-exportcert", "-alias", "provider", "-file", cert.toString(), "-keystore", keys.toString(),
                    "-storepass", "changeit");
            keytool("-importcert", "-noprompt", "-alias", "provider", "-file", cert.toString(),
                    "-keystore", trust.toString(), "-storepass", "changeit");
        }
    }

    SSLServerSocket serverSocket() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keys), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    /** A client TLS context that trusts this certificate and nothing else. */
    SSLContext clientContext() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trust));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool: " + output).isZero();
    }
}

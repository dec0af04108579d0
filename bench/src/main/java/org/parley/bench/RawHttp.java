// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal blocking HTTP/1.1 keep-alive connection for the load generator's hot paths, meant to be
 * used by one virtual thread at a time. The JDK's {@code HttpClient} spends several times the server's
 * own CPU per request on its asynchronous machinery and its connection pool (a linked list, linear in
 * the pooled connections), and here the load generator shares two cores with the server it measures.
 *
 * <p>Supports what Parley's server answers with: {@code Content-Length} or chunked bodies,
 * {@code Connection: close}. A failed exchange closes the connection; the next one reconnects. Requests
 * are never retried (a retried send could queue a message twice).
 */
final class RawHttp implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = (int) BenchTarget.REQUEST_TIMEOUT.toMillis();

    private final URI server;
    private final byte[] hostLine;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] lineBuffer = new byte[8192];

    /** The answer: status and body bytes. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    RawHttp(URI server) {
        this.server = server;
        String authority = server.getHost() + (server.getPort() > 0 ? ":" + server.getPort() : "");
        this.hostLine = ("Host: " + authority + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The constant part of a request: request line and headers up to (not including) Content-Length,
     * built once per device and path.
     */
    static byte[] head(String method, String path, String authorization, boolean jsonBody) {
        StringBuilder b = new StringBuilder(256);
        b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        b.append("Authorization: ").append(authorization).append("\r\n");
        b.append("Accept: application/json\r\n");
        if (jsonBody) {
            b.append("Content-Type: application/json\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A sealed send's head: the recipient's access key instead of any credentials of the sender. */
    static byte[] sealedHead(String path, String accessKeyBase64) {
        return ("PUT " + path + " HTTP/1.1\r\nUnidentified-Access-Key: " + accessKeyBase64
                + "\r\nAccept: application/json\r\nContent-Type: application/json\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request ({@code head} from {@link #head}, {@code body} may be null) and reads its answer. */
    Response exchange(byte[] head, byte[] body) throws IOException {
        try {
            connectIfNeeded();
            int length = body == null ? 0 : body.length;
            byte[] tail = ("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + hostLine.length + tail.length + length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(hostLine, 0, request, head.length, hostLine.length);
            System.arraycopy(tail, 0, request, head.length + hostLine.length, tail.length);
            if (length > 0) {
                System.arraycopy(body, 0, request, head.length + hostLine.length + tail.length, length);
            }
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        boolean tls = "https".equalsIgnoreCase(server.getScheme());
        int port = server.getPort() > 0 ? server.getPort() : tls ? 443 : 80;
        Socket s = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.connect(new InetSocketAddress(server.getHost(), port), 10_000);
        socket = s;
        out = s.getOutputStream();
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }

    private Response readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 answer");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = status.startsWith("HTTP/1.0");
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                closeAfter = value.equalsIgnoreCase("close");
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = in.readNBytes((int) contentLength);
            if (body.length != contentLength) {
                throw new EOFException("connection closed inside a body");
            }
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, body);
    }

    private byte[] readChunked() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c == '\n') {
                break;
            }
            if (n == lineBuffer.length) {
                throw new IOException("header line too long");
            }
            lineBuffer[n++] = (byte) c;
        }
        if (n > 0 && lineBuffer[n - 1] == '\r') {
            n--;
        }
        return new String(lineBuffer, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}

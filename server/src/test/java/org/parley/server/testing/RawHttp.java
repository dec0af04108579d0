// SPDX-License-Identifier: AGPL-3.0-only
package org.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain {@link Socket}, for tests that must send what no HTTP client library
 * would (broken framing, cut-off heads, HEAD on a reused connection) and see exactly the bytes
 * the server answers with.
 */
public final class RawHttp implements AutoCloseable {
    /** One parsed response; {@code body} is exactly the content bytes the framing announced. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port}; every read gives up after 10 s. */
    public static RawHttp connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return new RawHttp(socket);
    }

    public RawHttp write(String ascii) throws IOException {
        return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Ends our side of the connection (a half-close): the server sees the end of its input. */
    public RawHttp halfClose() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Reads one response; {@code head} says it answers a HEAD, so it has no content whatever its headers. */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].equals("HTTP/1.1")) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body = new byte[0];
        if (!head && status != 204 && status != 304 && status >= 200) {
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            }
        }
        return new Response(status, headers, body);
    }

    /** Sends {@code request}, reads the one response to it. */
    public Response exchange(String request) throws IOException {
        write(request);
        return read(request.startsWith("HEAD "));
    }

    /**
     * Everything the server still sends until it closes the connection; empty if it closed at once.
     * Fails if the connection is still open after the read timeout.
     */
    public byte[] rest() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open; it sent: "
                    + all.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketException e) {
            // A reset after the server closed with unread input: the connection is closed.
        }
        return all.toByteArray();
    }

    /** A whole request's bytes, for a test that only needs the server's complete answer. */
    public static List<Response> all(int port, byte[] request, boolean halfClose, boolean head) throws IOException {
        try (RawHttp raw = connect(port)) {
            raw.write(request);
            if (halfClose) {
                raw.halfClose();
            }
            List<Response> responses = new ArrayList<>();
            try {
                while (true) {
                    responses.add(raw.read(head));
                }
            } catch (IOException | RuntimeException endOfStream) {
                return responses;
            }
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line().strip(), 16);
            if (size == 0) {
                line();
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    /** One CRLF-terminated line without its CRLF, or null at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

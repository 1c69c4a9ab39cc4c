package dev.qsp.keysources.qkd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * {@link KmeTransport} over {@link HttpClient}: HTTPS/1.1 with mutual TLS from the given {@link SSLContext}
 * (ETSI GS QKD 014 §4.2 requires the SAE and the KME to authenticate each other), a connect timeout, and one
 * deadline for the whole exchange, body included, so a KME that trickles its answer cannot hang the handshake.
 * Bodies larger than {@link #MAX_BODY} are refused.
 */
public final class HttpClientTransport implements KmeTransport {
    /** Far above any key container QSP asks for (one key of at most 8192 bits). */
    static final int MAX_BODY = 64 * 1024;

    private final HttpClient http;
    private final Duration requestTimeout;

    /**
     * A transport over the JDK's HTTP client.
     *
     * @param tls            the mutual-TLS context (this SAE's certificate, the KME's CA)
     * @param connectTimeout bound on connecting to the KME
     * @param requestTimeout bound on each request's answer
     */
    public HttpClientTransport(SSLContext tls, Duration connectTimeout, Duration requestTimeout) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout);
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public KmeHttpResponse exchange(String method, URI uri, byte[] jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", "application/json");
        if (jsonBody == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(jsonBody));
        }
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(b.build(), info -> new BoundedBody(MAX_BODY));
        HttpResponse<byte[]> r;
        try {
            r = f.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw timeout(uri);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            // The client's own request timeout and our deadline race: report both the same way.
            if (e.getCause() instanceof HttpTimeoutException t && !(t instanceof HttpConnectTimeoutException)) {
                throw timeout(uri);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("HTTP exchange failed: " + e.getCause(), e.getCause());
        }
        return new KmeHttpResponse(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    }

    private HttpTimeoutException timeout(URI uri) {
        return new HttpTimeoutException("no complete answer from " + uri.getHost() + ":" + uri.getPort()
                + " within " + requestTimeout.toMillis() + " ms");
    }

    @Override
    public void close() {
        http.close();
    }

    /** Collects a body up to a limit, zeroing every intermediate buffer (the body may carry key material). */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] buf = new byte[1024];
        private int len;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (len + n > limit) {
                    subscription.cancel();
                    Arrays.fill(buf, (byte) 0);
                    result.completeExceptionally(new IOException("KME response body exceeds " + limit + " bytes"));
                    return;
                }
                if (len + n > buf.length) {
                    byte[] bigger = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
                    Arrays.fill(buf, (byte) 0);
                    buf = bigger;
                }
                item.get(buf, len, n);
                len += n;
            }
        }

        @Override
        public void onError(Throwable t) {
            Arrays.fill(buf, (byte) 0);
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            byte[] out = Arrays.copyOf(buf, len);
            Arrays.fill(buf, (byte) 0);
            result.complete(out);
        }
    }
}

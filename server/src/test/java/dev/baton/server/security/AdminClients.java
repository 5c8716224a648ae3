package dev.baton.server.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;

import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.proto.v1.TemplateServiceGrpc;
import dev.baton.server.testing.TestBaton;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/** Clients of a test server that present an admin token (null: none) over each transport. */
final class AdminClients {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(10)).build();

    /** A response's status, content type and the start of its body (an SSE stream is cut after that). */
    record Opened(int status, String contentType, String start, String wwwAuthenticate) {}

    private AdminClients() {}

    static SubmitJobRequest sleepJob() {
        return SubmitJobRequest.newBuilder()
                .setInlineConfig(Struct.newBuilder().putFields("command", Value.newBuilder().setStringValue("sleep 1")
                                                                               .build()))
                .build();
    }

    /** Native gRPC (HTTP/2) on the test server's channel. */
    static Channel grpc(TestBaton baton, String token) {
        if (token == null) {
            return baton.channel();
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(baton.channel(), MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static JobServiceGrpc.JobServiceBlockingStub jobs(TestBaton baton, String token) {
        return JobServiceGrpc.newBlockingStub(grpc(baton, token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    static TemplateServiceGrpc.TemplateServiceBlockingStub templates(TestBaton baton, String token) {
        return TemplateServiceGrpc.newBlockingStub(grpc(baton, token)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** gRPC-Web over HTTP/1.1, as a browser's gRPC-Web client sends it. */
    static <T> T grpcWeb(TestBaton baton, String token, Class<T> stubType) {
        var builder = GrpcClients.builder("h1c://127.0.0.1:" + baton.port())
                                 .serializationFormat(GrpcSerializationFormats.PROTO_WEB)
                                 .responseTimeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.addHeader("authorization", "Bearer " + token);
        }
        return builder.build(stubType);
    }

    static SystemServiceGrpc.SystemServiceBlockingStub systemWeb(TestBaton baton, String token) {
        return grpcWeb(baton, token, SystemServiceGrpc.SystemServiceBlockingStub.class);
    }

    /** GETs {@code path} (the SSE stream included) and reads only its first bytes. */
    static Opened open(TestBaton baton, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baton.baseUrl() + path))
                                                 .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                byte[] start = body.readNBytes(64);
                return new Opened(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                                  new String(start, StandardCharsets.UTF_8),
                                  response.headers().firstValue("www-authenticate").orElse(null));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

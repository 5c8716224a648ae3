package dev.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Descriptors;

import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;

/** Every RPC of every service in proto/ has a role (or is deliberately open): nothing is open by accident. */
class MethodAccessTest {

    private static final Path PROTOS = Path.of("../proto/src/main/proto/baton/v1");
    private static final Pattern OUTER_CLASS = Pattern.compile("option java_outer_classname = \"(\\w+)\";");

    @Test
    void everyRpcInProtoIsClassified() throws Exception {
        List<String> methods = protoMethods();
        assertThat(methods).as("RPCs found in %s", PROTOS).hasSizeGreaterThan(25);
        assertThat(methods.stream().filter(m -> !MethodAccess.classified(m)).toList())
                .as("RPCs without an entry in MethodAccess.ROLES").isEmpty();
    }

    @Test
    void healthAndReflectionAreClassified() {
        HealthGrpc.getServiceDescriptor().getMethods()
                  .forEach(m -> assertThat(MethodAccess.required(m.getFullMethodName())).isEmpty());
        ServerReflectionGrpc.getServiceDescriptor().getMethods()
                            .forEach(m -> assertThat(MethodAccess.required(m.getFullMethodName())).contains(Role.VIEWER));
    }

    @Test
    void agentsAreOutsideAdminAuthAndAnUnknownMethodNeedsAdmin() {
        assertThat(MethodAccess.required("baton.v1.AgentService/Connect")).isEmpty();
        assertThat(MethodAccess.classified("baton.v1.JobService/PurgeEverything")).isFalse();
        assertThat(MethodAccess.required("baton.v1.JobService/PurgeEverything")).contains(Role.ADMIN);
    }

    @Test
    void rolesFollowTheDocumentedTable() {
        assertThat(MethodAccess.required("baton.v1.JobService/GetJob")).contains(Role.VIEWER);
        assertThat(MethodAccess.required("baton.v1.WatchService/Watch")).contains(Role.VIEWER);
        assertThat(MethodAccess.required("baton.v1.JobService/StopJob")).contains(Role.OPERATOR);
        assertThat(MethodAccess.required("baton.v1.FleetService/DrainAgent")).contains(Role.OPERATOR);
        assertThat(MethodAccess.required("baton.v1.JobService/UpdateJobMetadata")).contains(Role.OPERATOR);
        assertThat(MethodAccess.required("baton.v1.TemplateService/CreateTemplate")).contains(Role.ADMIN);
        assertThat(MethodAccess.required("baton.v1.EngineService/ScalePool")).contains(Role.ADMIN);
    }

    /** The methods of every service of every .proto file, via each file's generated descriptor. */
    private static List<String> protoMethods() throws IOException, ReflectiveOperationException {
        List<String> methods = new ArrayList<>();
        try (Stream<Path> files = Files.list(PROTOS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".proto")).sorted().toList()) {
                Matcher outer = OUTER_CLASS.matcher(Files.readString(file));
                assertThat(outer.find()).as("%s sets java_outer_classname", file).isTrue();
                Descriptors.FileDescriptor descriptor = (Descriptors.FileDescriptor) Class
                        .forName("dev.baton.proto.v1." + outer.group(1)).getMethod("getDescriptor").invoke(null);
                for (Descriptors.ServiceDescriptor service : descriptor.getServices()) {
                    service.getMethods().forEach(m -> methods.add(service.getFullName() + "/" + m.getName()));
                }
            }
        }
        return methods;
    }
}

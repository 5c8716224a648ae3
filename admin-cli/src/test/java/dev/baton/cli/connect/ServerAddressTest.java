package dev.baton.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void hostAndPort() {
        ServerAddress address = ServerAddress.parse("baton.internal:9090");

        assertThat(address.host()).isEqualTo("baton.internal");
        assertThat(address.port()).isEqualTo(9090);
        assertThat(address.tls()).isFalse();
    }

    @Test
    void hostAloneUsesTheDefaultPort() {
        assertThat(ServerAddress.parse("baton").toString()).isEqualTo("baton:8080");
    }

    @Test
    void urlsChooseTlsAndDefaultPorts() {
        assertThat(ServerAddress.parse("https://baton.example.com").tls()).isTrue();
        assertThat(ServerAddress.parse("https://baton.example.com/").port()).isEqualTo(443);
        assertThat(ServerAddress.parse("http://localhost:8080").tls()).isFalse();
    }

    @Test
    void bracketedIpv6() {
        ServerAddress address = ServerAddress.parse("[::1]:8080");

        assertThat(address.host()).isEqualTo("::1");
        assertThat(address.toString()).isEqualTo("[::1]:8080");
    }

    @Test
    void problemsAreNamed() {
        assertThatThrownBy(() -> ServerAddress.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ServerAddress.parse("host:0")).hasMessageContaining("expected: 1..65535");
        assertThatThrownBy(() -> ServerAddress.parse("::1")).hasMessageContaining("[ipv6]:port");
        assertThatThrownBy(() -> ServerAddress.parse(":80")).hasMessageContaining("has no host");
    }
}

package dev.baton.cli.connect;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A channel over every server of a highly available Baton. A unary or server-streaming call (watch,
 * log follow) refused with UNAVAILABLE before any answer is sent again: to the leader a standby
 * named in its {@code baton-leader} trailer, else to the next server of the list, until each was
 * tried once. The call's deadline covers all attempts. A stream that breaks after it answered is not
 * resent (its events would repeat); other streams go to the server that answered last.
 */
final class LeaderFollowingChannel extends Channel {

    static final Metadata.Key<String> LEADER_KEY = Metadata.Key.of("baton-leader", Metadata.ASCII_STRING_MARSHALLER);

    private final List<ServerAddress> servers;
    private final Function<ServerAddress, ManagedChannel> dial;
    private final Map<String, ManagedChannel> open = new ConcurrentHashMap<>();
    private volatile ServerAddress current;

    LeaderFollowingChannel(List<ServerAddress> servers, Function<ServerAddress, ManagedChannel> dial) {
        this.servers = new ArrayList<>(servers);
        this.dial = dial;
        this.current = servers.get(0);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        if (!method.getType().clientSendsOneMessage()) {
            return channel(current).newCall(method, options);
        }
        return new FollowingCall<>(method, options);
    }

    @Override
    public String authority() {
        return channel(current).authority();
    }

    private ManagedChannel channel(ServerAddress address) {
        return open.computeIfAbsent(key(address), unused -> dial.apply(address));
    }

    private static String key(ServerAddress address) {
        return address.host() + ':' + address.port();
    }

    private int indexOf(ServerAddress address) {
        for (int i = 0; i < servers.size(); i++) {
            if (key(servers.get(i)).equals(key(address))) {
                return i;
            }
        }
        return -1;
    }

    /** Where to go after {@code tried} refused: the named leader, else the next server. */
    private synchronized ServerAddress next(ServerAddress tried, Metadata trailers) {
        String leader = trailers == null ? null : trailers.get(LEADER_KEY);
        if (leader != null && !leader.isBlank()) {
            ServerAddress named = ServerAddress.parse(leader);
            if (indexOf(named) < 0) {
                servers.add(named);
            }
            current = servers.get(indexOf(named));
        } else {
            current = servers.get((indexOf(tried) + 1) % servers.size());
        }
        return current;
    }

    void shutdown() {
        for (ManagedChannel channel : open.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : open.values()) {
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One call with a single request; remembers it so that it can send it again elsewhere. */
    private final class FollowingCall<Q, R> extends ClientCall<Q, R> {
        private final MethodDescriptor<Q, R> method;
        private final CallOptions options;
        private Listener<R> listener;
        private Metadata headers;
        private int requested;
        private Q message;
        private boolean halfClosed;
        private int attempts;
        private volatile ClientCall<Q, R> delegate;

        FollowingCall(MethodDescriptor<Q, R> method, CallOptions options) {
            this.method = method;
            this.options = options;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            this.listener = listener;
            this.headers = headers;
            attempt(current);
        }

        private void attempt(ServerAddress target) {
            attempts++;
            Metadata copy = new Metadata();
            copy.merge(headers);
            ClientCall<Q, R> call = channel(target).newCall(method, options);
            delegate = call;
            call.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                private boolean answered;

                @Override
                public void onHeaders(Metadata responseHeaders) {
                    answered = true;
                    super.onHeaders(responseHeaders);
                }

                @Override
                public void onMessage(R response) {
                    answered = true;
                    super.onMessage(response);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    if (!answered && status.getCode() == Status.Code.UNAVAILABLE && attempts <= servers.size()) {
                        resend(next(target, trailers));
                        return;
                    }
                    super.onClose(status, trailers);
                }
            }, copy);
            if (requested > 0) {
                call.request(requested);
            }
        }

        private void resend(ServerAddress target) {
            attempt(target);
            if (message != null) {
                delegate.sendMessage(message);
            }
            if (halfClosed) {
                delegate.halfClose();
            }
        }

        @Override
        public void request(int count) {
            requested += count;
            delegate.request(count);
        }

        @Override
        public void cancel(String why, Throwable cause) {
            delegate.cancel(why, cause);
        }

        @Override
        public void halfClose() {
            halfClosed = true;
            delegate.halfClose();
        }

        @Override
        public void sendMessage(Q request) {
            message = request;
            delegate.sendMessage(request);
        }
    }
}

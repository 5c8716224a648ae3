package dev.baton.server.jobs;

/** What the scheduler needs to know of engine pools, answered by the engines domain. */
public interface PoolCapacity {

    /** True when a pool of that name is configured. */
    boolean exists(String pool);

    /** True when the pool could still start another engine (below its maximum and not broken). */
    boolean canGrow(String pool);

    /** The agent label every engine of a pool carries, so pool requirements are label matches. */
    String POOL_LABEL = "baton.pool";

    /** No pools at all. */
    PoolCapacity NONE = new PoolCapacity() {
        @Override
        public boolean exists(String pool) {
            return false;
        }

        @Override
        public boolean canGrow(String pool) {
            return false;
        }
    };
}

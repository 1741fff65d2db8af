package dev.redock.deploy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redock.model.Trigger;
import dev.redock.store.ServiceStore;

/**
 * The per-service deployment lock, shared by every Redock process on the data folder: at most one deployment of a
 * service runs at a time. It is a lease: this process renews the leases of the locks it holds at a third of their length,
 * so a lock whose holder stopped, whose host went away or was renamed, or whose pid now belongs to another process runs
 * out and is taken over. A lock of a process of this host that has ended is broken at once.
 */
public final class DeploymentLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentLock.class);

    private final ServiceStore services;
    private final Clock clock;
    private final Duration lease;
    private final String owner = Owner.next();
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer;

    public DeploymentLock(ServiceStore services, Clock clock, Duration lease) {
        this.services = services;
        this.clock = clock;
        this.lease = lease;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redock-lock-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    /** Who this process is in the lock and in history's records. */
    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
    }

    /**
     * Takes the service's lock: a free one, one whose lease ran out, or one whose holder's process on this host has ended.
     */
    public boolean acquire(UUID serviceId) {
        Instant now = clock.instant();
        if (services.tryLock(serviceId, owner, now, now.plus(lease))) {
            held.add(serviceId);
            return true;
        }
        Optional<ServiceStore.Lock> lock = services.lock(serviceId);
        if (lock.isPresent() && !Owner.isThisProcess(lock.get().owner()) && Owner.isGone(lock.get().owner())) {
            LOG.warn("Breaking the deployment lock of {} left by {}, which is gone", serviceId, lock.get().owner());
            services.breakLock(serviceId, lock.get().owner());
            if (services.tryLock(serviceId, owner, now, now.plus(lease))) {
                held.add(serviceId);
                return true;
            }
        }
        return false;
    }

    /** Lets go of the lock unless a follow-up was asked for meanwhile: then keeps it and returns the follow-up's trigger. */
    public Optional<Trigger> releaseOrTakeFollowUp(UUID serviceId) {
        Optional<Trigger> next = services.releaseOrTakeFollowUp(serviceId, owner);
        if (next.isEmpty()) {
            held.remove(serviceId);
        }
        return next;
    }

    /** Lets go of the lock whatever was asked for meanwhile (a follow-up stays asked for, for whoever comes next). */
    public void release(UUID serviceId) {
        held.remove(serviceId);
        services.release(serviceId, owner);
    }

    /**
     * Whether someone other than this process holds the service's lock and is alive: its lease holds and, on this host,
     * its process still runs.
     */
    public boolean heldByAnotherLiveProcess(UUID serviceId) {
        return services.lock(serviceId)
                .filter(l -> !l.owner().equals(owner))
                .filter(l -> l.leaseHolds(clock.instant()) && !Owner.isGone(l.owner()))
                .isPresent();
    }

    /**
     * Breaks a lock for a user who says its holder is stuck ({@code redock service unlock}): at once when its holder is
     * gone or its lease ran out; otherwise only when the holder has not renewed it within one renewal period, which a live
     * holder always does.
     *
     * @return what was done, in words for the user
     * @throws IllegalStateException when a live holder renews it
     */
    public String breakStuck(UUID serviceId) throws InterruptedException {
        Optional<ServiceStore.Lock> lock = services.lock(serviceId);
        if (lock.isEmpty()) {
            return "not locked";
        }
        ServiceStore.Lock l = lock.get();
        if (l.owner().equals(owner) || held.contains(serviceId)) {
            throw new IllegalStateException("this process is deploying it");
        }
        boolean dead = Owner.isGone(l.owner()) || !l.leaseHolds(clock.instant());
        if (!dead) {
            Thread.sleep(lease.toMillis() / 3 + 1_000);
            Optional<ServiceStore.Lock> again = services.lock(serviceId);
            if (again.isEmpty()) {
                return "its deployment ended meanwhile";
            }
            if (!again.get().owner().equals(l.owner()) || !java.util.Objects.equals(again.get().expires(), l.expires())) {
                throw new IllegalStateException("held by " + l.owner() + ", which is alive and renews it: a deployment is under way");
            }
        }
        services.breakLock(serviceId, l.owner());
        LOG.warn("Broke the deployment lock of {} held by {} at a user's request", serviceId, l.owner());
        return "broke the lock held by " + l.owner();
    }

    private void renew() {
        if (held.isEmpty()) {
            return;
        }
        try {
            services.renewLocks(owner, clock.instant().plus(lease));
        } catch (RuntimeException e) {
            LOG.warn("Cannot renew the deployment locks of {}: {}", owner, e.getMessage());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }
}

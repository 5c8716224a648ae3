#!/usr/bin/env python3
"""A minimal Baton agent in Python, written only from Baton's .proto files (baton/v1/agent.proto).

It connects, says Hello, heartbeats at the interval the Welcome gives, takes jobs up to its slots
and "runs" each one as a timer: config {"seconds": N} lasts N seconds (without "seconds": until
stopped). It reports RUNNING, then STOPPED. Stop and Kill end a job early (STOPPED); Mute and
Unmute are acknowledged. A Drain from the server makes it refuse new jobs. SIGTERM: it stops its
jobs, reports them, says Goodbye and exits. A broken stream is retried with exponential backoff
and jitter; the next Hello lists the jobs still running, and an end that happened while
disconnected is reported after the Welcome.

Environment: BATON_SERVER (host:port, default localhost:8080), BATON_TOKEN, BATON_AGENT_ID,
BATON_SLOTS (default 1). Run it with the generated code on PYTHONPATH (see README.md).
"""
import logging
import os
import queue
import random
import signal
import socket
import threading

import grpc

from baton.v1 import agent_pb2, agent_pb2_grpc, jobs_pb2

ACCEPTED = jobs_pb2.Job.ACCEPTED
RUNNING = jobs_pb2.Job.RUNNING
STOPPED = jobs_pb2.Job.STOPPED

log = logging.getLogger("baton-python-agent")


class Job:
    """One accepted attempt of one job."""

    def __init__(self, job_id, attempt, seconds):
        self.job_id = job_id
        self.attempt = attempt
        self.seconds = seconds  # None: until stopped
        self.stop = threading.Event()
        self.status = ACCEPTED  # what the job is
        self.reported = ACCEPTED  # what the server was last told


class Agent:
    def __init__(self, server, token, agent_id, slots):
        self.server = server
        self.token = token
        self.agent_id = agent_id
        self.slots = slots
        self.lock = threading.Lock()  # guards jobs, outbox, drained
        self.jobs = {}  # (job_id, attempt) -> Job
        self.outbox = None  # the welcomed session's queue of AgentMessages; None while disconnected
        self.drained = False  # the server asked for no new jobs
        self.leaving = threading.Event()  # SIGTERM: finish, say Goodbye, exit
        self.heartbeats = 0

    # ---- sending -----------------------------------------------------------------------------

    def send(self, **fields):
        """Queues a message on the welcomed session; dropped while disconnected."""
        with self.lock:
            if self.outbox is not None:
                self.outbox.put(agent_pb2.AgentMessage(**fields))

    def report(self, job, status):
        """Records a job's status and tells the server now, or after the next Welcome."""
        with self.lock:
            job.status = status
            if self.outbox is not None:
                self.tell(job)
        self.maybe_leave()

    def tell(self, job):
        """Sends the job's status (lock held); an ended job that was reported is forgotten."""
        self.outbox.put(agent_pb2.AgentMessage(job_update=agent_pb2.JobUpdate(
            job_id=job.job_id, attempt=job.attempt, status=job.status)))
        job.reported = job.status
        if job.status == STOPPED:
            self.jobs.pop((job.job_id, job.attempt), None)

    # ---- one session -------------------------------------------------------------------------

    def hello(self):
        with self.lock:
            # An ended job not yet reported is listed as the server last knew it; its end follows.
            running = [agent_pb2.RunningJob(job_id=job.job_id, attempt=job.attempt, status=job.reported)
                       for job in self.jobs.values()]
        return agent_pb2.AgentMessage(hello=agent_pb2.Hello(
            token=self.token, agent_id=self.agent_id, name=self.agent_id + " (python)",
            version="python-example-1",
            capabilities=agent_pb2.Capabilities(slots=self.slots, labels={"lang": "python"}),
            drain=self.leaving.is_set(), running_jobs=running))

    def session(self):
        """One Connect stream, until it ends. Returns True if the server welcomed it."""
        outbox = queue.Queue()
        outbox.put(self.hello())
        over = threading.Event()
        welcomed = False

        def requests():
            while True:
                message = outbox.get()
                if message is None:  # half-close: nothing more to send
                    return
                yield message

        channel = grpc.insecure_channel(self.server)
        try:
            for message in agent_pb2_grpc.AgentServiceStub(channel).Connect(requests()):
                kind = message.WhichOneof("msg")
                if kind == "welcome":
                    welcomed = True
                    self.on_welcome(message.welcome, outbox, over)
                elif kind == "assign":
                    self.on_assign(message.assign)
                elif kind in ("stop", "kill"):
                    self.on_stop(getattr(message, kind))
                elif kind in ("mute", "unmute"):
                    self.on_mute(getattr(message, kind))
                elif kind == "drain":
                    with self.lock:
                        self.drained = message.drain.drain
                    log.info("drain=%s agent=%s", message.drain.drain, self.agent_id)
                elif kind == "error":
                    log.warning("server refused a message code=%s message=%s", message.error.code,
                                message.error.message)
            log.info("stream closed by the server agent=%s", self.agent_id)
        except grpc.RpcError as error:
            log.info("disconnected agent=%s code=%s details=%s", self.agent_id, error.code(), error.details())
        finally:
            over.set()
            with self.lock:
                if self.outbox is outbox:
                    self.outbox = None
            outbox.put(None)
            channel.close()
        return welcomed

    def on_welcome(self, welcome, outbox, over):
        interval = welcome.heartbeat_interval.ToTimedelta().total_seconds() or 3.0
        log.info("connected agent=%s session=%s heartbeat_interval=%ss", self.agent_id, welcome.session_id,
                 interval)
        with self.lock:
            self.outbox = outbox
            for job in list(self.jobs.values()):
                if job.status != job.reported:
                    self.tell(job)
        threading.Thread(target=self.heartbeat, args=(outbox, over, interval), daemon=True).start()
        self.maybe_leave()

    def heartbeat(self, outbox, over, interval):
        while not over.wait(interval):
            self.heartbeats += 1
            metrics = agent_pb2.AgentMetrics(custom={"heartbeats": float(self.heartbeats)})
            outbox.put(agent_pb2.AgentMessage(heartbeat=agent_pb2.Heartbeat(metrics=metrics)))

    # ---- jobs and commands -------------------------------------------------------------------

    def on_assign(self, assign):
        fields = assign.config.fields
        with self.lock:
            if self.leaving.is_set() or self.drained:
                refusal = "agent " + self.agent_id + " is draining"
            elif len(self.jobs) >= self.slots:
                refusal = "no free slot (%d of %d in use)" % (len(self.jobs), self.slots)
            else:
                refusal = ""
                seconds = fields["seconds"].number_value if "seconds" in fields else None
                job = Job(assign.job_id, assign.attempt, seconds)
                self.jobs[(job.job_id, job.attempt)] = job
        # The ack carries the Assign's attempt, as every later update of this job does.
        self.send(assign_ack=agent_pb2.AssignAck(job_id=assign.job_id, attempt=assign.attempt,
                                                 accepted=not refusal, reason=refusal))
        log.info("job %s agent=%s job=%s attempt=%d%s", "refused" if refusal else "accepted", self.agent_id,
                 assign.job_id, assign.attempt, " reason=" + refusal if refusal else "")
        if not refusal:
            threading.Thread(target=self.run_job, args=(job,), daemon=True).start()

    def run_job(self, job):
        self.report(job, RUNNING)
        job.stop.wait(job.seconds)  # the "work": a timer that a stop cuts short
        self.report(job, STOPPED)
        log.info("job ended agent=%s job=%s attempt=%d status=STOPPED", self.agent_id, job.job_id, job.attempt)

    def find(self, job_id, attempt):
        with self.lock:
            return self.jobs.get((job_id, attempt))

    def on_stop(self, command):
        job = self.find(command.job_id, command.attempt)
        if job is not None:
            job.stop.set()  # run_job reports STOPPED
        # A job not running here is as stopped as it gets: success either way.
        self.send(command_ack=agent_pb2.CommandAck(correlation_id=command.correlation_id, success=True))

    def on_mute(self, command):
        running = self.find(command.job_id, command.attempt) is not None
        self.send(command_ack=agent_pb2.CommandAck(
            correlation_id=command.correlation_id, success=running,
            error="" if running else "job %s is not running here" % command.job_id))

    # ---- leaving -----------------------------------------------------------------------------

    def leave(self):
        """SIGTERM: stop every job; once they are reported, say Goodbye."""
        log.info("leaving agent=%s", self.agent_id)
        self.leaving.set()
        with self.lock:
            jobs = list(self.jobs.values())
        for job in jobs:
            job.stop.set()
        self.maybe_leave()

    def maybe_leave(self):
        with self.lock:
            if not self.leaving.is_set() or self.jobs or self.outbox is None:
                return
            self.outbox.put(agent_pb2.AgentMessage(goodbye=agent_pb2.Goodbye(reason="agent stopped by SIGTERM")))
            self.outbox.put(None)  # the server ends the stream after the Goodbye
            self.outbox = None
        log.info("goodbye sent agent=%s", self.agent_id)

    def run(self):
        delay = 1.0  # gRPC's connection backoff: 1 s, x1.6, +-20 %, at most 120 s
        while True:
            if self.session():
                delay = 1.0
            with self.lock:
                if self.leaving.is_set() and not self.jobs:
                    return
            wait = delay * random.uniform(0.8, 1.2)
            log.info("reconnecting agent=%s in=%.1fs", self.agent_id, wait)
            threading.Event().wait(wait)
            delay = min(delay * 1.6, 120.0)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    agent = Agent(server=os.environ.get("BATON_SERVER", "localhost:8080"),
                  token=os.environ.get("BATON_TOKEN", ""),
                  agent_id=os.environ.get("BATON_AGENT_ID") or socket.gethostname() + "-py",
                  slots=int(os.environ.get("BATON_SLOTS", "1")))
    signal.signal(signal.SIGTERM, lambda *_: agent.leave())
    signal.signal(signal.SIGINT, lambda *_: agent.leave())
    # The agent runs on its own thread: the main thread stays free to take signals.
    worker = threading.Thread(target=agent.run, name="agent")
    worker.start()
    while worker.is_alive():
        worker.join(0.2)


if __name__ == "__main__":
    main()

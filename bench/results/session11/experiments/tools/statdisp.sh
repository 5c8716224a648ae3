#!/bin/bash
# dispatch at one rate; during the step, count the server's store syscalls and disk bytes: statdisp.sh NAME JAR RATE
name=$1; jar=$2; rate=${3:-2500}
cd /work/main
log=/tmp/s11/stat-$name.log
java -jar bench/target/baton-bench.jar dispatch --runs 1 --rates $rate --duration 20 --warmup-jobs 90000 --server-jar $jar --out /tmp/s11/out/stat-$name > $log 2>&1 &
bench=$!
until grep -q "jobs ended" $log; do sleep 0.5; done
pid=$(pgrep -f "^java -X.*-jar $jar" | head -1)
sleep 4
grep -E "write_bytes|syscw" /proc/$pid/io > /tmp/s11/stat-$name.io0
perf stat --per-thread -e syscalls:sys_enter_fsync,syscalls:sys_enter_pwrite64,syscalls:sys_enter_pread64,syscalls:sys_enter_futex -p $pid -- sleep 10 > /tmp/s11/stat-$name.perf 2>&1
grep -E "write_bytes|syscw" /proc/$pid/io > /tmp/s11/stat-$name.io1
ls -la bench/target/work 2>/dev/null | head -3 > /dev/null
wait $bench
echo done >> $log

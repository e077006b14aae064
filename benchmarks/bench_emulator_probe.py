"""Is the emulator running? The old probe (moto's /moto-api/data.json) beside the new one
(the service's lock, then /_tutor/health), once an EKS cluster and node group exist, in the same
run; and the emulator's memory as `tutor aws status` reports it.

    python benchmarks/bench_emulator_probe.py

The old probe took longer than its 1 s timeout here, so a busy emulator looked stopped and
labs ran with the learner's environment; the new one must stay far below it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import urllib.request


def timed(fn: object, n: int = 10) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        from tutor.aws import background, emulator

        state = emulator.start()
        try:
            eks = emulator.client("eks")
            eks.create_cluster(
                name="demo",
                roleArn="arn:aws:iam::123456789012:role/r",
                resourcesVpcConfig={"subnetIds": ["subnet-0a1", "subnet-0b2"]},
            )
            eks.create_nodegroup(
                clusterName="demo",
                nodegroupName="ng-1",
                nodeRole="arn:aws:iam::123456789012:role/n",
                subnets=["subnet-0a1"],
                scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
            )

            def old() -> None:
                with urllib.request.urlopen(f"{state.endpoint}/moto-api/data.json", timeout=60) as r:
                    r.read()

            def new() -> None:
                assert emulator.status() is not None

            t_old, t_new = timed(old, 5), timed(new, 20)
            rss = background.info("emulator").rss or 0
            print(f"old probe (data.json): {t_old * 1000:8.1f} ms")
            print(f"new probe (lock+health): {t_new * 1000:6.1f} ms")
            print(f"ratio old/new: {t_old / t_new:.0f}x")
            print(f"emulator memory: {rss / 2**20:.0f} MB")
        finally:
            emulator.stop()


if __name__ == "__main__":
    main()

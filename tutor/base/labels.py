"""The labels that mark what the app made on the Docker engine, and the images it builds."""

from __future__ import annotations

LAB_LABEL = "tutor.lab"
ATTEMPT_LABEL = "tutor.attempt"
STORE_LABEL = "tutor.store"  # the progress store (one learner, one TUTOR_HOME) that made it
CHECK_LABEL = "tutor.check"  # short-lived helper containers of checks
IMAGE_LABEL = "tutor.image"  # base images built by `tutor lab prepare`
HELPER_IMAGE = "tutor-lab/busybox:1"

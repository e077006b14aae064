"""Elastic Beanstalk's Docker platforms, locally: check a source bundle (a folder or a .zip) as
Beanstalk reads it, and run it on the local engine (like `eb local run`)."""

from tutor.aws.beanstalk.check import BundleReport, check_bundle
from tutor.aws.beanstalk.compose_bundle import EB_LABEL
from tutor.aws.beanstalk.run import local_name, run_bundle, stop_bundle
from tutor.aws.beanstalk.source import BundleError

__all__ = [
    "EB_LABEL",
    "BundleError",
    "BundleReport",
    "check_bundle",
    "local_name",
    "run_bundle",
    "stop_bundle",
]

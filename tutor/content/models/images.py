"""`labs/_images/images.yaml`: the base images labs use, and how to make each offline."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tutor.content.models.base import Strict, Text
from tutor.content.models.lab_setup import LabFolderPath


class BaseImage(Strict):
    name: Text = Field(description="repository:tag, e.g. tutor-lab/web:1")
    pull: str | None = Field(None, description="Pull this and tag it `name` when a registry answers.")
    busybox: bool = Field(False, description="Build FROM scratch with the host's static busybox.")
    context: LabFolderPath | None = Field(None, description="A folder beside images.yaml to build.")


class ImagesFile(Strict):
    images: Annotated[list[BaseImage], Field(min_length=1)]


IMAGES_FILE = "labs/_images/images.yaml"

"""moto's server, with what the ECS labs need and moto leaves out: a service's
deploymentConfiguration is kept and returned, as ECS does (moto drops it).

    python -m tutor.aws.moto_server -H 127.0.0.1 -p PORT
"""

from __future__ import annotations

from typing import Any

DEFAULT_DEPLOYMENT = {"minimumHealthyPercent": 100, "maximumPercent": 200}


def patch_ecs() -> None:
    from moto.ecs import responses

    cls = responses.EC2ContainerServiceResponse
    create, update = cls.create_service, cls.update_service

    def create_service(self: Any) -> Any:
        conf = self._get_param("deploymentConfiguration") or {}
        result = create(self)
        result.result["service"].deployment_configuration = {**DEFAULT_DEPLOYMENT, **conf}
        return result

    def update_service(self: Any) -> Any:
        conf = self._get_param("deploymentConfiguration")
        name = str(self._get_param("service")).rsplit("/", 1)[-1]
        before = next(
            (s for s in self.ecs_backend.services.values() if s.name == name),
            None,
        )
        current = dict(getattr(before, "deployment_configuration", None) or DEFAULT_DEPLOYMENT)
        result = update(self)
        result.result["service"].deployment_configuration = {**current, **(conf or {})}
        return result

    cls.create_service = create_service  # type: ignore[method-assign]
    cls.update_service = update_service  # type: ignore[method-assign]


def main() -> None:
    patch_ecs()
    from moto.server import main as serve

    serve()


if __name__ == "__main__":
    main()

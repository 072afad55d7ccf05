"""FastAPI dependencies: the process's shared parts (runtime.services.Services) and settings."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.settings import Settings
from runtime.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_app_settings(request: Request) -> Settings:
    """The settings this app was started with (read once, at start)."""
    return request.app.state.services.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]

"""`stagebureau admin` and `stagebureau serve`: the operator's side of the platform.

Regions and their first bureau user are made here, from a shell on the server, because no HTTP
user exists yet to make them; everything after that goes through the API.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

# Roles spelled out here so `stagebureau --help` does not import the database layer.
ROLES = ("bureau", "school", "company")


def _engine(args: argparse.Namespace) -> Any:
    from api.db import create_db, make_engine
    from api.settings import Settings

    url = args.database or Settings().database_url
    engine = make_engine(url)
    create_db(engine)
    return engine


def cmd_admin(args: argparse.Namespace) -> int:
    from api.models import Role
    from api.provision import AdminError, create_region, create_user

    engine = _engine(args)
    try:
        if args.admin_command == "create-region":
            region_id = create_region(engine, args.name, args.plan_budget)
            print(f"region {args.name!r} created (id {region_id})")
        elif args.admin_command == "create-user":
            password = (
                args.password
                or os.environ.get("STAGEBUREAU_PASSWORD")
                or getpass.getpass("password: ")
            )
            user_id = create_user(
                engine,
                email=args.email,
                password=password,
                role=Role(args.role),
                region=args.region,
                school=args.school,
                company=args.company,
            )
            print(f"user {args.email} created (id {user_id})")
    except AdminError as error:
        print(f"stagebureau admin: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.database:
        os.environ["DATABASE_URL"] = args.database
    # Forwarded headers are the app's to trust (Settings.forwarded_allow_ips), not uvicorn's,
    # which would otherwise believe any proxy on 127.0.0.1.
    uvicorn.run(
        "api.app:create_app", factory=True, host=args.host, port=args.port, proxy_headers=False
    )
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    """Send the outbox's due mail once (for cron), after queueing due deadline reminders."""
    from api.services.outbox import run_outbox
    from api.settings import Settings

    settings = Settings()
    engine = _engine(args)
    try:
        delivery = run_outbox(engine, settings)
    finally:
        engine.dispose()
    if delivery.mail_off:
        print("stagebureau outbox: SMTP_HOST is not set: no mail sent", file=sys.stderr)
        return 1
    print(f"{delivery.mails_sent} mails sent, {delivery.mails_failed} failed (kept for a retry)")
    return 1 if delivery.mails_failed else 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `serve` and `admin` to the `stagebureau` command line."""
    serve = commands.add_parser("serve", help="run the HTTP API (SPEC section 7)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database", default=None, help="database URL (default: DATABASE_URL)")
    serve.set_defaults(run=cmd_serve)

    admin = commands.add_parser("admin", help="create regions and users")
    admin.add_argument("--database", default=None, help="database URL (default: DATABASE_URL)")
    sub = admin.add_subparsers(dest="admin_command", required=True)
    region = sub.add_parser("create-region", help="add a region")
    region.add_argument("name")
    region.add_argument("--plan-budget", type=float, default=0.0, help="EUR of the regional plan")
    user = sub.add_parser("create-user", help="add a user to a region")
    user.add_argument("email")
    user.add_argument("--role", choices=ROLES, required=True)
    user.add_argument("--region", required=True, help="region name")
    user.add_argument("--school", help="school code (role school)")
    user.add_argument("--company", help="company code (role company)")
    user.add_argument("--password", help="default: STAGEBUREAU_PASSWORD, else asked")
    admin.set_defaults(run=cmd_admin)

    outbox = commands.add_parser("outbox", help="send the notification mail that is due")
    outbox_commands = outbox.add_subparsers(dest="outbox_command", required=True)
    send = outbox_commands.add_parser("send", help="queue due reminders, send due mail, exit")
    send.add_argument("--database", default=None, help="database URL (default: DATABASE_URL)")
    send.set_defaults(run=cmd_outbox)

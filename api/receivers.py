"""api's answers to the signals of the apps below it (connected in ApiConfig.ready): what ends
a person's or a subscriber's access ends their API tokens too (issue 18). Each runs in the
sender's transaction (subscribers/signals.py, billing/signals.py)."""

from .services import api_tokens_revoke_for


def revoke_on_member_removal(sender, *, membership_ids, actor, **kwargs) -> dict:
    return {
        "api_tokens": api_tokens_revoke_for(
            membership_ids=membership_ids, reason="member.remove", actor=actor
        )
    }


def revoke_on_password_change(sender, *, user, how, **kwargs) -> dict:
    return {"api_tokens": api_tokens_revoke_for(user=user, reason=f"password.{how}", actor=user)}


def revoke_on_purge(sender, *, subscriber_ids, **kwargs) -> None:
    api_tokens_revoke_for(subscriber_ids=subscriber_ids, reason="billing.purge")

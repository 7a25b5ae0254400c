def panel(request):
    membership = getattr(request, "membership", None)
    return {
        "membership": membership if membership else None,
        "memberships": getattr(request, "memberships", []),
        "terms_banner": getattr(request, "terms_banner", None),
    }

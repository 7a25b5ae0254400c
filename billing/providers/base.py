"""What every online payment provider module implements."""


class ProviderError(Exception):
    """The provider could not start a payment; the message is in Russian for the payer."""


class Provider:
    code = ""
    label = ""

    def start(self, *, order) -> str:
        """Register the order with the provider; return the URL of its payment page."""
        raise NotImplementedError

    def secret(self) -> str:
        """The key its notifications are signed with."""
        raise NotImplementedError

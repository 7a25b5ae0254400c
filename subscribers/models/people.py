from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_bin


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users must have an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class PartnerFirm(models.Model):
    """A firm under contract with the operator for methodological and individual support (4.1)."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    bin = models.CharField(_("БИН"), max_length=12, blank=True, validators=[validate_bin])
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner firm")
        verbose_name_plural = _("partner firms")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: a subscriber's member or a staff member. Email is the login."""

    username = None
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    partner_firm = models.ForeignKey(
        PartnerFirm,
        verbose_name=_("partner firm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultants",
        help_text=_("Only for partner consultants."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.email

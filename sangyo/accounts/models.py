"""Users and their roles.

Staff log in with e-mail and password. A user's role says what kind of person they are for
the platform; what each role may do is decided in the apps' `policies.py`, not here.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("システム管理者")
    OFFICER = "officer", _("事業担当職員")
    REVIEWER = "reviewer", _("審査員・専門家")
    VIEWER = "viewer", _("閲覧職員")
    BUSINESS = "business", _("事業者")


STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.REVIEWER, Role.VIEWER})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.BUSINESS)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(role=Role.ADMIN, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("メールアドレス"), unique=True)
    name = models.CharField(_("氏名"), max_length=150, blank=True)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.BUSINESS)
    is_active = models.BooleanField(_("有効"), default=True)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_staff(self) -> bool:
        # Django admin access follows the role; there is no separate flag to drift.
        return self.is_active and self.role == Role.ADMIN

    # The admin role is the platform's administrator: it may use every page of Django's
    # admin without per-model permissions to keep in step (is_staff follows the role too).
    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == Role.ADMIN:
            return True
        return super().has_module_perms(app_label)

    @property
    def is_city_staff(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

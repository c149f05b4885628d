"""Partners' endpoints (events, languages, secret, disabled state) and the read-only delivery log with Resend."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, ngettext

from content.languages import LANGUAGE_CODE_CHOICES
from webhooks import recovery
from webhooks.models import EVENT_TYPES, Delivery, Endpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("Events"), choices=EVENT_TYPES, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CODE_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text=_("Only changes in these languages are sent, and each event lists only these languages."),
    )

    class Meta:
        model = Endpoint
        fields = ("name", "url", "events", "languages", "enabled")


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("name", "url", "enabled", "disabled_reason", "consecutive_failures", "created_at")
    list_filter = ("enabled",)
    search_fields = ("name", "url")
    readonly_fields = ("secret", "disabled_at", "disabled_reason", "consecutive_failures", "failing_since", "created_at")
    actions = ["reenable_endpoints"]

    def get_readonly_fields(self, request, obj=None):
        # The secret is generated on save; show it from then on.
        return self.readonly_fields if obj else ()

    def save_model(self, request, obj, form, change):
        if change and "enabled" in form.changed_data:
            if obj.enabled:
                for name, value in recovery.ENABLED_AFRESH.items():
                    setattr(obj, name, value)
            else:
                obj.disabled_at, obj.disabled_reason = timezone.now(), _("Disabled by %(user)s.") % {"user": request.user}
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Re-enable the selected endpoints"), permissions=["change"])
    def reenable_endpoints(self, request, queryset):
        count = recovery.reenable(queryset)
        self.message_user(request, ngettext("%(count)d endpoint enabled again.", "%(count)d endpoints enabled again.", count) % {"count": count})


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """A log: nothing here is edited by hand; Resend is the one thing a person does."""

    list_display = ("id", "event_type", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at", "delivered_at", "created_at")
    list_filter = ("status", "event_type", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("message_id", "entry__slug")
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["resend_deliveries"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        resend = self.admin_site.admin_view(self.resend_view)
        return [path("<int:pk>/resend/", resend, name="webhooks_delivery_resend")] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False, "show_delete": False,
        }
        if self.has_change_permission(request):
            extra_context["resend_url"] = reverse("admin:webhooks_delivery_resend", args=[object_id])
        return super().change_view(request, object_id, form_url, extra_context)

    def resend_view(self, request, pk):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        delivery = get_object_or_404(Delivery, pk=pk)
        self._resend(request, Delivery.objects.filter(pk=delivery.pk))
        return redirect("admin:webhooks_delivery_change", delivery.pk)

    @admin.action(description=_("Resend the selected deliveries"), permissions=["change"])
    def resend_deliveries(self, request, queryset):
        self._resend(request, queryset)

    def _resend(self, request, queryset):
        asked = queryset.count()
        queued = len(recovery.resend(queryset))
        self.message_user(request, ngettext("%(count)d delivery queued to be sent again.", "%(count)d deliveries queued to be sent again.", queued) % {"count": queued})
        if queued < asked:
            self.message_user(
                request, _("%(count)d not queued: the endpoint is disabled (re-enable it first) or the delivery is being sent right now.") % {"count": asked - queued},
                messages.WARNING,
            )

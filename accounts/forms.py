"""Sign-in forms: the e-mail first step, the password step (allauth's form, GOV.UK labels), an
organisation's provider settings and giving a new person access."""

from allauth.account.forms import LoginForm
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms

from partnerships.models import Role, Team

IDENTIFIER_SESSION_KEY = "accounts_sign_in_identifier"


class SignInStartForm(forms.Form):
    identifier = forms.CharField(
        label="Work email address",
        max_length=254,
        help_text="If your organisation does not use single sign-on with JointCase, you can enter your username.",
        error_messages={"required": "Enter your work email address or username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("identifier", field_width=Fluid.TWO_THIRDS), Submit("continue", "Continue")
        )

    def clean_identifier(self):
        return self.cleaned_data["identifier"].strip()


class PasswordSignInForm(LoginForm):
    """allauth's login form with the e-mail or username from the first step filled in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address or username"
        self.fields["login"].error_messages["required"] = "Enter your email address or username"
        self.fields["password"].label = "Password"
        self.fields["password"].error_messages["required"] = "Enter your password"
        if self.request is not None and not self.is_bound:
            self.fields["login"].initial = self.request.session.get(IDENTIFIER_SESSION_KEY, "")


def _lines(value: str) -> list[str]:
    return [part for part in value.replace(",", "\n").split() if part]


class IdentityProviderForm(forms.Form):
    issuer_url = forms.URLField(
        assume_scheme="https",
        label="Issuer URL",
        help_text="Your provider's address for OpenID Connect, such as https://login.microsoftonline.com/your-tenant-id/v2.0",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={"required": "Enter the issuer URL", "invalid": "Enter the issuer URL in full, with https://"},
    )
    client_id = forms.CharField(
        label="Client ID", max_length=191, error_messages={"required": "Enter the client ID from your provider"}
    )
    client_secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Leave blank to keep the secret already saved.",
    )
    domains = forms.CharField(
        label="Email domains",
        help_text="The domains your provider vouches for, one a line, such as northshire.gov.uk",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        error_messages={"required": "Enter at least one email domain"},
    )
    mfa_acr_values = forms.CharField(
        label="ACR values that mean two-factor (optional)",
        required=False,
        max_length=500,
        help_text=(
            "Most providers say in the token's “amr” claim when someone used two factors, and that is enough. "
            "Enter values here only if yours says so in “acr” instead, separated by spaces."
        ),
    )
    is_enabled = forms.BooleanField(label="Send people with these email addresses to this provider", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("issuer_url"),
            Field.text("client_id", field_width=Fluid.TWO_THIRDS),
            Field.text("client_secret"),
            Field.textarea("domains", rows=3),
            Field.text("mfa_acr_values"),
            Field.checkbox("is_enabled"),
            Submit("save", "Save single sign-on"),
        )
        self.helper.form_tag = False

    def clean_domains(self):
        return _lines(self.cleaned_data["domains"])


class SignInPolicyForm(forms.Form):
    two_factor_for_everyone = forms.BooleanField(
        label="Everyone in the organisation must use two-factor authentication",
        required=False,
        help_text="Finance officers, finance approvers and administrators always must.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.checkbox("two_factor_for_everyone"))


class AccessForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="No team")
    roles = forms.MultipleChoiceField(
        label="Roles", required=False, widget=forms.CheckboxSelectMultiple, choices=Role.choices
    )

    def __init__(self, *args, organisation, giveable: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation, is_active=True).order_by("name")
        self.fields["team"].label_from_instance = lambda team: team.name
        self.fields[
            "roles"
        ].help_text = "Only an administrator can give finance, partnership, secretariat or administrator roles."
        self.giveable = {str(role) for role in giveable}
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("team"),
            Fieldset(Field.checkboxes("roles"), legend="Roles", legend_size=Size.MEDIUM),
            Submit("save", "Save access"),
        )

// GOV.UK Frontend: mark the page as able to run its JavaScript before the components load.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

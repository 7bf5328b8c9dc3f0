// The OpenAPI page: Swagger UI, shipped in the package, reading this server's /openapi.json.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,  // no request to an outside validator
    presets: [SwaggerUIBundle.presets.apis],
  });
});

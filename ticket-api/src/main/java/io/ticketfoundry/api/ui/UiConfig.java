package io.ticketfoundry.api.ui;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The lineage browser: static files under {@code classpath:/static/ui/}, served at {@code /ui/}
 * without a token (the page asks for one and sends it with every API call). {@code /} and
 * {@code /ui} lead there.
 */
@Configuration(proxyBeanMethods = false)
public class UiConfig implements WebMvcConfigurer {

    /** Where the page and its modules are served; open to anonymous requests (see SecurityConfig). */
    public static final String[] PUBLIC_PATHS = {"/", "/ui", "/ui/", "/ui/**", "/webjars/**"};

    /**
     * Scripts, styles and fetches from this origin only; images also from blob: URLs (the page
     * loads authenticated images with fetch); no inline script or style, no framing.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "frame-ancestors 'none'; form-action 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/ui/");
        registry.addRedirectViewController("/ui", "/ui/");
        registry.addViewController("/ui/").setViewName("forward:/ui/index.html");
    }
}

// The layout is rendered with each page, outside the Blazor circuit (MainLayout.razor), so the menu button opens and
// closes MudBlazor's responsive drawer here, with the classes MudDrawer and MudLayout give it when it is interactive,
// and the menu's current link is marked here when the circuit changes the page without rendering the layout again.
(() => {
    const narrow = () => matchMedia('(max-width: 959px)').matches;

    function setDrawer(open) {
        const drawer = document.querySelector('.mud-drawer');
        const layout = document.querySelector('.mud-layout');
        if (!drawer || !layout) {
            return;
        }
        // "initial" hides the drawer on narrow screens until someone opens it.
        drawer.classList.remove('mud-drawer--initial');
        drawer.classList.toggle('mud-drawer--open', open);
        drawer.classList.toggle('mud-drawer--closed', !open);
        layout.classList.toggle('mud-drawer-open-responsive-md-left', open);
    }

    function isOpen() {
        const drawer = document.querySelector('.mud-drawer');
        return !!drawer && drawer.classList.contains('mud-drawer--open')
            && !(narrow() && drawer.classList.contains('mud-drawer--initial'));
    }

    document.addEventListener('click', event => {
        if (event.target.closest('[data-drawer-toggle]')) {
            setDrawer(!isOpen());
        } else if (narrow() && event.target.closest('.mud-drawer a[href]')) {
            // On a phone the drawer covers the page: a chosen link closes it.
            setDrawer(false);
        }
    });

    // As MudNavLink marks it: Home only on itself, any other link on its own address and the addresses below it.
    function markCurrentLink() {
        const base = document.baseURI;
        for (const link of document.querySelectorAll('.mud-drawer a.mud-nav-link[href]')) {
            const target = new URL(link.getAttribute('href'), base).pathname;
            const here = location.pathname;
            const current = target === new URL(base).pathname
                ? here === target
                : here === target || here.startsWith(target.endsWith('/') ? target : target + '/');
            link.classList.toggle('active', current);
        }
    }

    // Blazor's router changes the address through the History API; the back button raises popstate.
    for (const method of ['pushState', 'replaceState']) {
        const original = history[method];
        history[method] = function (...args) {
            const result = original.apply(this, args);
            markCurrentLink();
            return result;
        };
    }
    addEventListener('popstate', markCurrentLink);
})();

// The page's title, from PortalTitle.razor in the circuit: the head is rendered with the page and has no interactive root.
window.portal = { setTitle: title => { document.title = title; } };

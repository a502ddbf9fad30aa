// The layout is rendered with each page, outside the Blazor circuit (MainLayout.razor), so the menu button opens and
// closes MudBlazor's responsive drawer here, with the classes MudDrawer and MudLayout give it when it is interactive.
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
})();

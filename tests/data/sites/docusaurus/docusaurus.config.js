// @ts-check
/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Docs',
  // i18n: { defaultLocale: 'de' },
  i18n: {
    defaultLocale: 'en',
    locales: ['en', 'fr', 'pt-BR'],
    localeConfigs: { fr: { label: 'Français' } },
  },
  presets: [['classic', { docs: { sidebarPath: './sidebars.js' } }]],
};

module.exports = config;

// First, before any library reads it: see lib/language.ts.
import './lib/repair-language';
import { mount } from 'svelte';
import './styles/tokens.css';
import './styles/base.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('Circle: #app is missing from index.html');

const app = mount(App, { target });

export default app;
